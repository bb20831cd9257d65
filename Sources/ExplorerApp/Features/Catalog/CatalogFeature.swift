import RecWorkbench
import TUIKit

extension View {
    /// Catalog overview (the root).
    public static let catalog = View(feature: "catalog", context: "catalog")
}

/// Catalog: counts, quantiles, how interactions spread over users and items, the long tail, activity.
public enum CatalogFeature: Feature {
    public static let title = "Catalog"
    public static let summary = "Catalog overview: counts and distributions"
    public static let root = View.catalog

    public static func register(_ c: inout Commands) {
        c.hint("catalog", .keys([.show(BrowseFeature.self)], "browse"), .keys([.show(ItemsFeature.self)], "items"),
               .keys([.search], "search"), .keys([.help], "help"), .keys([.close], "quit"))
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? { nil }

    /// The summary is loaded at start; when it is still missing as the pane is shown, it is asked for again
    /// (once per visit).
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible else {
            state.panes[CatalogState.self].askedThisVisit = false
            return []
        }
        guard state.summary == nil, !state.panes[CatalogState.self].askedThisVisit else { return [] }
        state.panes[CatalogState.self].askedThisVisit = true
        return [Effect(LoadSummary())]
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        CatalogPane(state: state).render(in: area, on: &canvas)
    }
}

/// The Catalog pane's part of the state: whether this visit asked for a missing summary.
public struct CatalogState: FeatureState {
    public var askedThisVisit = false
    public init() {}
}
