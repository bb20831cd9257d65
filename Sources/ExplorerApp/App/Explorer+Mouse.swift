import TUIKit

extension Explorer {
    /// Clicks on a tab switch to it; clicks in the body go to the pane on top (a double click then opens what
    /// it selected); the wheel moves the selection of the focused list by three rows.
    static func handleMouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let layout = state.layout
        guard !layout.isTooSmall else { return [] }
        switch event.kind {
        case .wheelUp, .wheelDown:
            let command: AppCommand = event.kind == .wheelUp ? .moveUp : .moveDown
            return (0..<3).flatMap { _ in perform(command, &state) }
        case .click, .doubleClick, .rightClick: break
        }
        if layout.tabBar.contains(x: event.x, y: event.y) {
            for (tab, label, x) in ScreenLayout.tabLabels(width: state.width) where event.x >= x && event.x < x + label.count {
                return show(tab, &state)
            }
            return []
        }
        guard let feature = feature(of: state.top) else { return [] }
        var effects = feature.click(event, in: state.top, &state)
        if event.kind == .doubleClick { effects += perform(.drillDown, &state) }
        return effects
    }
}
