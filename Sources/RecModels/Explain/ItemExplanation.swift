import Foundation
import RecCore

/// A user as explanations and what-if lists see them: the items they have (oldest first) and, for a user
/// the model was trained on, their index.
///
/// A trained user is scored by what the model learned for them (ALS's stored factor, the transformers'
/// stored window); `items` is then their training history, which explanations decompose the score over.
/// A what-if user (`index` nil) is known only by `items`: every model scores them from the list (ALS and
/// BPR fold the user in by solving their factor against the trained item factors).
public struct ExplainedUser: Sendable, Hashable {
    /// The trained user's index; nil for a what-if user.
    public var index: Int?
    /// The user's items, oldest first, without repeats.
    public var items: [Int32]

    public init(index: Int?, items: [Int32]) {
        self.index = index
        var seen = Set<Int32>()
        self.items = items.filter { seen.insert($0).inserted }
    }

    /// A user the model was trained on, with their training items in time order.
    public static func trained(_ index: Int, history: [Int32]) -> ExplainedUser { ExplainedUser(index: index, items: history) }

    /// A user known only by `items` (oldest first).
    public static func whatIf(_ items: [Int32]) -> ExplainedUser { ExplainedUser(index: nil, items: items) }
}

/// Why a model scored one item as it did for one user: the share of each history item, named terms that are
/// not history items (an item bias, the transition term, a ranker feature), and model-specific detail.
///
/// When `basis` is `.additive`, the contributions and the terms are parts of one sum, and `link` of that sum
/// is the score (`reproducedScore`): ItemKNN's similarity shares, EASE's B[i, j], ALS's closed-form
/// decomposition, sid's ALS part plus its transition term, pop's count, rank's feature terms under σ. BPR's
/// contributions are item-factor similarities (its terms, item bias and user·item factors, are the sum) and
/// the transformers' are attention weights: they say which history items matter, not how much of the score.
public struct ItemExplanation: Sendable, Hashable {
    /// What a history item's `value` is.
    public enum Basis: String, Sendable, Hashable {
        /// A part of the score: contributions and terms add up to it (through `link`).
        case additive
        /// The cosine of the history item's factors with the item's (BPR); terms alone add up to the score.
        case similarity
        /// The last block's attention weight on the history item (sasrec, bert4rec); each head's weights sum to 1.
        case attention
    }

    /// How the sum of the additive parts becomes the score.
    public enum Link: String, Sendable, Hashable {
        /// score = Σ parts.
        case identity
        /// score = σ(Σ parts): rank's candidates.
        case logistic
        /// score = σ(Σ parts) − 1: rank's items that no retriever proposed (they rank after every candidate).
        case logisticMinusOne
    }

    /// One history item's part.
    public struct Contribution: Sendable, Hashable {
        public var item: Int32
        public var value: Float
        public init(item: Int32, value: Float) {
            self.item = item
            self.value = value
        }
    }

    /// A named part that is not a history item.
    public struct Term: Sendable, Hashable {
        public var name: String
        public var value: Float
        public init(_ name: String, _ value: Float) {
            self.name = name
            self.value = value
        }
    }

    public var item: Int32
    /// The model's score of `item` for the user (what its list ranks by).
    public var score: Float
    public var basis: Basis
    public var link: Link
    /// History items, the largest |value| first, ties by the more recent item first.
    public var contributions: [Contribution]
    public var terms: [Term]
    public var detail: ExplanationDetail?

    public init(item: Int32, score: Float, basis: Basis = .additive, link: Link = .identity, contributions: [Contribution],
                terms: [Term] = [], detail: ExplanationDetail? = nil) {
        self.item = item
        self.score = score
        self.basis = basis
        self.link = link
        self.contributions = contributions
        self.terms = terms
        self.detail = detail
    }

    /// Σ of the additive parts: the contributions (when additive) and the terms.
    public var total: Float {
        let terms = self.terms.reduce(Float(0)) { $0 + $1.value }
        return basis == .additive ? contributions.reduce(terms) { $0 + $1.value } : terms
    }

    /// The score the additive parts give through `link`; nil when they do not make up the score (the
    /// transformers: attention weights and no terms).
    public var reproducedScore: Float? {
        if basis == .attention && terms.isEmpty { return nil }
        switch link {
        case .identity: return total
        case .logistic: return 1 / (1 + expf(-total))
        case .logisticMinusOne: return 1 / (1 + expf(-total)) - 1
        }
    }

    /// Contributions ordered as explanations show them: largest |value| first, then the more recent item.
    /// `position` gives an item's place in the user's history (higher = more recent).
    static func ordered(_ values: [(item: Int32, value: Float)], position: [Int32: Int]) -> [Contribution] {
        values.sorted { a, b in
            let x = abs(a.value), y = abs(b.value)
            if x != y { return x > y }
            return (position[a.item] ?? -1) > (position[b.item] ?? -1)
        }.map { Contribution(item: $0.item, value: $0.value) }
    }
}

/// What a model can say about an item beyond history contributions, as data (`StagePresenter` writes it).
public enum ExplanationDetail: Sendable, Hashable {
    /// pop: how many training users have the item and its place in the popularity order.
    case popularity(count: Float, rank: Int, items: Int)
    /// sid: the item's code path, each level's prefix score (q·centroid, or q·mean for a space's codes) and
    /// transition term (unweighted), the item's own transition term, the weight w, and the last history item.
    case semanticPath(SemanticPathDetail)
    /// rank: each feature's value and its term w·f̂ in the ranker's logit, and which retrievers proposed the item.
    case ranker(RankerDetail)
    /// sasrec, bert4rec: the window read (oldest first; −1 is BERT4Rec's `[mask]`) and each head's weights.
    case attention(AttentionTrace)
}

/// The semantic-ID side of a `sid` score.
public struct SemanticPathDetail: Sendable, Hashable {
    public struct Level: Sendable, Hashable {
        public var code: Int32
        /// This level's share of the centroid score (own codes: q·c_l; a space's codes: the change in q·m̄).
        public var centroid: Float
        /// This level's transition term, unweighted.
        public var transition: Float
    }
    public var levels: [Level]
    /// The item level's transition term (the item after its leaf), unweighted.
    public var itemTransition: Float
    public var transitionWeight: Float
    /// The most recent history item (the transition's context starts there); nil without history.
    public var lastItem: Int32?
    /// The last history item's code path.
    public var lastPath: [Int32]

    /// w · (Σ level terms + the item's term): the transition part of the score.
    public var transitionScore: Float { transitionWeight * (levels.reduce(itemTransition) { $0 + $1.transition }) }
}

/// The ranker's side of a `rank` score.
public struct RankerDetail: Sendable, Hashable {
    public struct Feature: Sendable, Hashable {
        public var name: String
        public var value: Float
        /// w · (value − mean) / scale: its part of the logit.
        public var term: Float
    }
    public struct Source: Sendable, Hashable {
        public var retriever: String
        /// 1-based rank in that retriever's candidates; nil when it did not propose the item.
        public var rank: Int?
    }
    public var features: [Feature]
    public var sources: [Source]
    /// Whether some retriever proposed the item (candidates rank before every other item).
    public var candidate: Bool
}
