import RecModels
import RecWorkbench
import TUIKit

/// The left (A) or right (B) list of the Compare pane.
public enum CompareSide: String, Hashable, Sendable, CaseIterable {
    case a = "A", b = "B"
}

/// What one list of the Compare pane is asked for; a list answers only the request still current.
public struct CompareRequest: Hashable, Sendable {
    public var user: String
    public var model: ModelKind
    public var k: Int
    public var excludeSeen: Bool

    public init(user: String, model: ModelKind, k: Int, excludeSeen: Bool) {
        self.user = user
        self.model = model
        self.k = k
        self.excludeSeen = excludeSeen
    }
}

/// A list of the Compare pane and the request it answers.
public struct CompareResult: Hashable, Sendable {
    public var request: CompareRequest
    public var recommendations: Recommendations

    public init(request: CompareRequest, recommendations: Recommendations) {
        self.request = request
        self.recommendations = recommendations
    }
}

/// A list's explanations and the request they answer.
public struct CompareWhyResult: Hashable, Sendable {
    public var request: CompareRequest
    public var list: ExplainedList
}

/// The Compare pane's part of the state: K, seen items, the two lists and the user's history.
public struct CompareState: FeatureState {
    public static let kRange = 1...50
    /// How many recent training items the Compare pane lists above the recommendations.
    public static let historyCount = 5

    public var k = 10
    /// Whether the lists leave out the items the user has before the test rows.
    public var excludeSeen = true
    /// What each list should show now (set by `sync`, read by the pane).
    public var current: [CompareSide: CompareRequest] = [:]
    /// The lists shown, with the request each answers.
    public var lists: [CompareSide: CompareResult] = [:]
    /// Requests sent and not answered yet, so a request is not sent twice.
    public var pending: [CompareSide: CompareRequest] = [:]
    /// The selected user's history, and the user it was asked for.
    public var profile: UserHistory? = nil
    public var profileAsked: String? = nil
    /// The why view's highlighted item, and whether it splits the attention per head.
    public var whyItem = 0
    public var whyPerHead = false
    /// Each list's explanations (models other than the transformers, whose stages carry their attention), with
    /// the request they answer; and the requests sent and not answered yet.
    public var why: [CompareSide: CompareWhyResult] = [:]
    public var whyPending: [CompareSide: CompareRequest] = [:]

    public init() {}

    /// The current list of `side`, or nil while it is being computed.
    public func list(_ side: CompareSide) -> Recommendations? {
        guard let request = current[side], let result = lists[side], result.request == request else { return nil }
        return result.recommendations
    }
}

extension AppState {
    public var compare: CompareState {
        get { panes[CompareState.self] }
        _modify { yield &panes[CompareState.self] }
    }
}

extension Selection {
    public func model(_ side: CompareSide) -> ModelKind { side == .a ? modelA : modelB }
}

extension View {
    /// Compare: two models' top-K for the selected user, side by side (the root).
    public static let compare = View(feature: "compare", context: "compare")
}

/// The Compare pane: info line, users on the left, history over two lists on the right.
struct CompareLayout {
    let info: Rect
    let users: Rect
    let history: Rect
    let lists: [Rect]

    init(body: Rect) {
        let (top, rest) = body.splitTop(1)
        info = top
        let c = rest.columns([.percent(body.width >= 100 ? 18 : 20), .fill])
        users = c[0]
        let (h, bottom) = c[1].splitTop(min(CompareState.historyCount + 2, max(3, rest.height / 3)))
        history = h
        lists = bottom.columns([.percent(50), .fill])
    }
}
