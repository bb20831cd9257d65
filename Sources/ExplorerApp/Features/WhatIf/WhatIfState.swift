import RecModels
import RecWorkbench
import TUIKit

/// What the What-if columns are asked for: the items (ids, oldest first), how many of the latest count, K, and
/// the models ready when it was asked.
public struct WhatIfRequest: Hashable, Sendable {
    public var items: [String]
    /// How many of the latest items the models read (0: all).
    public var recent: Int
    public var k: Int
    public var models: [ModelKind]

    public init(items: [String], recent: Int, k: Int, models: [ModelKind]) {
        self.items = items
        self.recent = recent
        self.k = k
        self.models = models
    }
}

/// Every model's list for one request, and the models' ranking times added up.
public struct WhatIfResult: Hashable, Sendable {
    public var request: WhatIfRequest
    public var lists: [ModelKind: Recommendations]
    public var seconds: Double
}

/// A why view's explanation and what it answers.
public struct WhatIfWhy: Hashable, Sendable {
    public var request: WhatIfRequest
    public var model: ModelKind
    public var list: ExplainedList
}

/// The What-if pane's part of the state: the made-up user's items and each model's list for them.
public struct WhatIfState: FeatureState {
    public static let k = 10
    /// The narrowest a model column gets.
    public static let columnWidth = 26

    /// The what-if user's items, oldest first.
    public var items: [ItemName] = []
    /// How many of the latest items the models read (0: all).
    public var recent = 0
    /// The catalog user the items were started from, and the persona they were loaded from or saved as.
    public var sourceUser: String? = nil
    public var persona: String? = nil
    /// 0: the items list has the focus; c ≥ 1: model column c − 1 of the shown ones.
    public var focus = 0
    public var selectedItem = 0
    public var selectedRank = 0
    /// The first model shown (columns scroll with `m`).
    public var firstModel = 0
    /// Whether the pane has been shown (then every model is prepared).
    public var wanted = false
    public var current: WhatIfRequest? = nil
    public var result: WhatIfResult? = nil
    public var pending: WhatIfRequest? = nil
    public var why: WhatIfWhy? = nil
    public var whyPending: WhatIfRequest? = nil

    public init() {}

    /// The request of the items as they stand, for `models`.
    func request(models: [ModelKind]) -> WhatIfRequest {
        WhatIfRequest(items: items.map(\.id), recent: recent, k: Self.k, models: models)
    }
}

extension AppState {
    public var whatIf: WhatIfState {
        get { panes[WhatIfState.self] }
        _modify { yield &panes[WhatIfState.self] }
    }
}

extension View {
    /// What-if: a made-up user's items and every model's top-K for them (the root).
    public static let whatIf = View(feature: "whatif", context: "whatif")
    /// Why model `model` lists the highlighted item for the what-if user.
    public static func whatIfWhy(_ model: ModelKind) -> View { View(feature: "whatif", context: "whatif-why", model.rawValue) }
}

/// The What-if pane: an info line, the items on the left, model columns on the right.
struct WhatIfLayout {
    let info: Rect
    let items: Rect
    let columns: [Rect]

    init(body: Rect, models: Int) {
        let (top, rest) = body.splitTop(1)
        info = top
        let left = min(32, max(22, rest.width / 4))
        let parts = rest.columns([.fixed(left), .fill])
        items = parts[0]
        let count = max(1, min(models, parts[1].width / WhatIfState.columnWidth))
        columns = parts[1].columns(Array(repeating: .fill, count: count))
    }
}
