import RecWorkbench
import TUIKit

/// One pane of the explorer. Everything about it lives in its folder `Features/<Name>/`: its state (a
/// `FeatureState` slice of `AppState`), its commands and hints, what it does with them, what it asks for
/// in the background, its layout and how it draws. It reads the shared `Selection`, never another pane's
/// state. A tab is one line in `Explorer.tabs`.
public protocol Feature: SendableMetatype {
    /// The tab's title: `Browse`.
    static var title: String { get }
    /// What switching to the tab shows (the help line of its number key).
    static var summary: String { get }
    /// The view the tab opens on.
    static var root: View { get }
    /// The views it draws (their `context` names its command-table context).
    static func owns(_ view: View) -> Bool
    /// Registers its commands, hints and `:` verbs.
    static func register(_ commands: inout Commands)
    /// Runs `command` for `view` (one of its own, on top); nil when it is not a command it handles there.
    static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]?
    /// Asks for what it lacks; called after every action, `visible` when one of its views is on top.
    static func sync(_ state: inout AppState, visible: Bool) -> [Effect]
    /// What it loads when the explorer starts and after a reload (work that makes a later visit instant).
    static func start(_ state: inout AppState) -> [Effect]
    /// Draws `view`.
    static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas)
    /// Enter on a search hit while `view` is on top; nil: open it as `:user ID` / `:item ID` would.
    static func choose(_ hit: SearchHit, in view: View, _ state: inout AppState) -> [Effect]?
    /// A click in the body while `view` is on top.
    static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect]
    /// Where `view` is, for the tab bar: `["users", "42"]`.
    static func breadcrumb(_ view: View, _ state: AppState) -> [String]
    /// The selected row's position in `view`'s list: `42/943`.
    static func position(_ view: View, _ state: AppState) -> String
    /// Body rows a page key moves in `view`.
    static func pageRows(_ view: View, _ state: AppState) -> Int
    /// The command-table context whose hint the status bar shows for `view` (its own context by default).
    static func hintContext(_ view: View, _ state: AppState) -> String
    /// A line the status bar shows instead of the hints, from any tab (a run under way).
    static func statusLine(_ state: AppState) -> String?
    /// Runs on the autoplay clock; `wantsTicks` says whether the loop should send them now.
    static func tick(_ state: inout AppState) -> [Effect]
    static func wantsTicks(_ state: AppState) -> Bool
    /// Whether the tab follows the selected user where it is: `:user ID` and search then stay on it
    /// instead of opening the user's sessions in Browse.
    static var followsSelectedUser: Bool { get }
}

extension Feature {
    public static func owns(_ view: View) -> Bool { view.feature == root.feature }
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] { [] }
    public static func start(_ state: inout AppState) -> [Effect] { [] }
    public static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect] { [] }
    public static func choose(_ hit: SearchHit, in view: View, _ state: inout AppState) -> [Effect]? { nil }
    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] { [view.context] }
    public static func position(_ view: View, _ state: AppState) -> String { "" }
    public static func pageRows(_ view: View, _ state: AppState) -> Int { max(1, Box.inner(state.layout.body).height) }
    public static func statusLine(_ state: AppState) -> String? { nil }
    public static func hintContext(_ view: View, _ state: AppState) -> String { view.context }
    public static var followsSelectedUser: Bool { false }
    public static func tick(_ state: inout AppState) -> [Effect] { [] }
    public static func wantsTicks(_ state: AppState) -> Bool { false }
}

/// A screen of the explorer: the view stack holds these. `feature` names the pane that draws it, `context`
/// its command-table context, `arguments` what it shows (`sessions` of user `42`).
public struct View: Hashable, Sendable, CustomStringConvertible {
    public var feature: String
    public var context: String
    public var arguments: [String]

    public init(feature: String, context: String, _ arguments: String...) {
        self.feature = feature
        self.context = context
        self.arguments = arguments
    }

    public var description: String { ([context] + arguments).joined(separator: " ") }

    /// Help for the view below it, generated from the command table.
    public static let help = View(feature: "help", context: "help")
}

/// A pane's part of `AppState`; a new pane's starts as `init()`.
public protocol FeatureState: Hashable, Sendable {
    init()
}

/// The panes' states, one per type, so that `AppState` holds a new pane's state without changing.
public struct FeatureStates: Hashable, Sendable {
    private var slices: [ObjectIdentifier: Slice] = [:]

    struct Slice: Hashable, Sendable {
        let value: any FeatureState
        static func == (a: Slice, b: Slice) -> Bool { AnyHashable(a.value) == AnyHashable(b.value) }
        func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(value)) }
    }

    public init() {}

    public subscript<S: FeatureState>(_ type: S.Type) -> S {
        get { slices[ObjectIdentifier(type)]?.value as? S ?? S() }
        _modify {
            let key = ObjectIdentifier(type)
            var value = slices.removeValue(forKey: key)?.value as? S ?? S()
            defer { slices[key] = Slice(value: value) }
            yield &value
        }
        set { slices[ObjectIdentifier(type)] = Slice(value: newValue) }
    }
}
