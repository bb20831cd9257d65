#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A top-K accuracy metric of one ranked list against one user's set of relevant items.
///
/// Notation: L is the ranked list (best first, positions k = 1, 2, …; it may be shorter than K),
/// hₖ = 1 when L[k] is relevant, T the user's relevant (held-out) items, |T| > 0. Users with an empty T
/// are not evaluated; `value` returns 0 for them. Every definition matches ranx and trec_eval
/// (`recall.K`, `P.K`, `ndcg_cut.K`, `recip_rank` cut at K, `map_cut.K`), so `bench/check_ranx.py`
/// recomputes them from an exported run; where RecBole differs, the doc comment says so.
public enum Metric: String, Sendable, CaseIterable, Codable {
    /// Recall@K = Σ_{k≤K} hₖ / |T|. (RecBole, ranx, trec_eval agree; some papers divide by min(|T|, K).)
    case recall
    /// Precision@K = Σ_{k≤K} hₖ / K, dividing by K even when L is shorter than K.
    case precision
    /// HitRate@K = 1 when some hₖ = 1 for k ≤ K, else 0. Equals Recall@K under leave-one-out.
    case hitRate = "hit_rate"
    /// NDCG@K = DCG@K / IDCG@K with binary gain and log₂ discount (Järvelin & Kekäläinen 2002):
    /// DCG@K = Σ_{k≤K} hₖ / log₂(k + 1), IDCG@K = Σ_{k=1}^{min(|T|, K)} 1 / log₂(k + 1).
    /// RecBole, ranx and trec_eval's `ndcg_cut.K` share this ideal (all of T, truncated at K).
    case ndcg
    /// MRR@K = 1 / (position of the first relevant item) when it is within K, else 0.
    case mrr
    /// MAP@K (mean over users of AP@K), AP@K = Σ_{k≤K} hₖ · Precision@k / |T|.
    /// This is trec_eval's `map_cut.K` and ranx's `map@K` denominator (|T|); RecBole divides by
    /// min(|T|, K) instead, which gives larger values when |T| > K. Under leave-one-out (|T| = 1) they agree.
    case map

    /// The key used in reports and JSON: `recall@10`, `hit_rate@20`, ….
    public func key(at k: Int) -> String { "\(rawValue)@\(k)" }

    /// The metric for one list, from `hits[k-1] = hₖ` (positions past `hits.count` are misses).
    /// - Complexity: O(K).
    public func value(hits: UnsafeBufferPointer<Bool>, truthCount: Int, k: Int) -> Double {
        precondition(k > 0, "K must be positive")
        guard truthCount > 0 else { return 0 }
        let n = min(k, hits.count)
        switch self {
        case .recall, .precision, .hitRate:
            var found = 0
            for p in 0..<n where hits[p] { found += 1 }
            switch self {
            case .recall: return Double(found) / Double(truthCount)
            case .precision: return Double(found) / Double(k)
            default: return found > 0 ? 1 : 0
            }
        case .ndcg:
            var dcg = 0.0
            for p in 0..<n where hits[p] { dcg += 1 / log2(Double(p + 2)) }
            var ideal = 0.0
            for p in 0..<min(truthCount, k) { ideal += 1 / log2(Double(p + 2)) }
            return dcg / ideal
        case .mrr:
            for p in 0..<n where hits[p] { return 1 / Double(p + 1) }
            return 0
        case .map:
            var found = 0, sum = 0.0
            for p in 0..<n where hits[p] {
                found += 1
                sum += Double(found) / Double(p + 1)
            }
            return sum / Double(truthCount)
        }
    }

    /// The metric for one list given as an array of hits; see `value(hits:truthCount:k:)`.
    public func value(hits: [Bool], truthCount: Int, k: Int) -> Double {
        hits.withUnsafeBufferPointer { value(hits: $0, truthCount: truthCount, k: k) }
    }
}
