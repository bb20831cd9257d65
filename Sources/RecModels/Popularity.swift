import RecCore

/// Most-popular: score(i) = number of training users of item i, the same list for every user.
///
/// With a recent window, the caller passes the interactions inside it (`counting`), and only those are
/// counted; items never seen in the window score 0 and rank by index after the rest.
public struct Popularity: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        /// Days of history counted, recorded for display; the caller applies it by passing `counting`.
        public var windowDays: Float = 0

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            windowDays = try p.float("window_days", default: 0)
        }

        public var params: [String: String] { windowDays > 0 ? ["window_days": _param(windowDays)] : [:] }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let ranking: _PopularityRanking

    /// Counts the users of each item in `counting` (default: `train`).
    /// - Complexity: O(nnz + items log items).
    public init(train: InteractionMatrix, counting: InteractionMatrix? = nil, configuration: Configuration = Configuration()) {
        let source = counting ?? train
        precondition(source.itemCount == train.itemCount, "the counting matrix has \(source.itemCount) items, train has \(train.itemCount)")
        userCount = train.userCount
        itemCount = train.itemCount
        ranking = _PopularityRanking(train: source)
        params = configuration.params
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        ranking = try _PopularityRanking(artifact: artifact)
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        ranking.top(k: k, exclude: exclude)
    }

    public func scores(user: Int, items: [Int32]) -> [Float] { ranking.scores(items: items) }

    /// Popularity has no item similarity: the most popular other items.
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        ranking.top(k: k, exclude: _excluding(item))
    }

    public func artifact() -> ModelArtifact {
        ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount,
                      arrays: ["popularity": ranking.artifactArray])
    }
}

extension Popularity: RegisteredModel {
    public static let kind = ModelKind.pop
    public static var needs: TrainingNeeds { .recentWindow }

    /// With `window_days`, counts only `context.recent` (an error without it).
    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> Popularity {
        if configuration.windowDays > 0 && context.recent == nil {
            throw ModelError.badParameter(model: "pop", name: "window_days", value: _param(configuration.windowDays),
                                          expected: "the interactions inside the window as well (pass `recent`)")
        }
        return Popularity(train: matrix, counting: configuration.windowDays > 0 ? context.recent : nil, configuration: configuration)
    }
}
