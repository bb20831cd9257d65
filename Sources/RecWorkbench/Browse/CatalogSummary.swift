import Foundation
import RecCore

/// Interactions in one time bucket.
public struct TimeBucket: Hashable, Sendable {
    public var start: Date
    public var count: Int

    public init(start: Date, count: Int) {
        self.start = start
        self.count = count
    }
}

/// The catalog at a glance.
public struct CatalogSummary: Hashable, Sendable {
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var sessions: Int
    public var firstInteraction: Date?
    public var lastInteraction: Date?
    public var perUser: CountDistribution
    public var perItem: CountDistribution
    /// The long tail: `longTail[i]` is the share of all interactions held by the most popular
    /// `(i + 1) / longTail.count` of the items (a Lorenz curve from the top); non-decreasing, ends at 1.
    public var longTail: [Double]
    /// Interaction counts over equal time buckets, oldest first.
    public var activity: [TimeBucket]

    public init(users: Int, items: Int, interactions: Int, sessions: Int, firstInteraction: Date?, lastInteraction: Date?,
                perUser: CountDistribution, perItem: CountDistribution, longTail: [Double], activity: [TimeBucket]) {
        self.users = users
        self.items = items
        self.interactions = interactions
        self.sessions = sessions
        self.firstInteraction = firstInteraction
        self.lastInteraction = lastInteraction
        self.perUser = perUser
        self.perItem = perItem
        self.longTail = longTail
        self.activity = activity
    }

    /// interactions / (users × items).
    public var density: Double {
        users > 0 && items > 0 ? Double(interactions) / (Double(users) * Double(items)) : 0
    }
}

extension CatalogSummary {
    /// The long-tail curve of item popularities at `points` evenly spaced fractions of the items.
    /// - Complexity: O(n log n).
    public static func longTail(popularity: [Int], points: Int = 100) -> [Double] {
        let sorted = popularity.sorted(by: >)
        let total = Double(sorted.reduce(0, +))
        guard total > 0, points > 0 else { return [] }
        var prefix = [0.0]
        prefix.reserveCapacity(sorted.count + 1)
        for p in sorted { prefix.append(prefix.last! + Double(p)) }
        return (1...points).map { i in
            prefix[(i * sorted.count + points - 1) / points] / total
        }
    }

    /// Interaction counts in `buckets` equal spans from `first` to `last`, from counts per day (days since
    /// 1970, UTC); each day is counted in the bucket of its start.
    /// - Complexity: O(days).
    public static func activity(first: Double, last: Double, days: [(day: Int64, interactions: Int)], buckets: Int = 60) -> [TimeBucket] {
        let span = max(1, last - first)
        var counts = [Int](repeating: 0, count: buckets)
        for (day, n) in days {
            let dayStart = max(first, Double(day) * 86400)
            counts[max(0, min(buckets - 1, Int((dayStart - first) / span * Double(buckets))))] += n
        }
        return counts.enumerated().map {
            TimeBucket(start: Date(timeIntervalSince1970: first + span * Double($0.offset) / Double(buckets)), count: $0.element)
        }
    }

    /// Interaction counts in `buckets` equal spans from the first to the last time.
    /// - Complexity: O(n).
    public static func activity(times: [Date], buckets: Int = 60) -> [TimeBucket] {
        guard let first = times.min(), let last = times.max(), buckets > 0 else { return [] }
        let span = max(1, last.timeIntervalSince(first))
        var counts = [Int](repeating: 0, count: buckets)
        for t in times {
            counts[min(buckets - 1, Int(t.timeIntervalSince(first) / span * Double(buckets)))] += 1
        }
        return counts.enumerated().map {
            TimeBucket(start: first.addingTimeInterval(span * Double($0.offset) / Double(buckets)), count: $0.element)
        }
    }
}
