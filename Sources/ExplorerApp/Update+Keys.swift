import RecWorkbench
import TUIKit

extension Explorer {
    /// Routes a key: resize first, then an open prompt, the mouse, and the command table.
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if case .resize(let width, let height) = key {
            state.width = width
            state.height = height
            return ensureUsersLoaded(&state) + ensureItemsLoaded(&state)
        }
        state.message = nil
        if let prompt = state.prompt { return handlePrompt(key, prompt, &state) }
        if case .mouse(let event) = key { return handleMouse(event, &state) }
        guard let command = AppCommand.table.command(for: key, in: state.top.context) else { return [] }
        return perform(command, &state)
    }

    /// Runs a named command.
    public static func perform(_ command: AppCommand, _ state: inout AppState) -> [Effect] {
        let page = state.visibleRows
        switch command {
        case .moveUp: return move(by: -1, &state)
        case .moveDown: return move(by: 1, &state)
        case .pageUp: return move(by: -page, &state)
        case .pageDown: return move(by: page, &state)
        case .first: return move(by: Int.min / 2, &state)
        case .last: return move(by: Int.max / 2, &state)
        case .drillDown: return drillDown(&state)
        case .back:
            if state.top == .tree { return collapseTreeNode(&state) }
            if state.top == .items, state.itemFilter != nil { return clearItemFilter(&state) }
            return back(&state)
        case .close:
            if state.stack.count > 1 { return back(&state) }
            state.isFinished = true
            return []
        case .quit:
            state.isFinished = true
            return []
        case .refresh:
            state.message = "Reloading \(state.catalogName)…"
            return [.reload]
        case .showBrowse: return show(.browse, &state)
        case .showItems: return show(.items, &state)
        case .showCatalog: return show(.catalog, &state)
        case .showCompare: return show(.compare, &state)
        case .showMetrics: return show(.metrics, &state)
        case .showTree: return show(.tree, &state)
        case .nextSpace: return state.top == .tree ? nextSpace(&state) : []
        case .buildSemanticIDs: return state.top == .tree ? buildSemanticIDs(&state) : []
        case .nodeItems: return openNodeItems(&state)
        case .showInTree: return showInTree(&state)
        case .cycleModelA where state.top == .simulate:
            state.simulate.autoplay = false
            return performCompare(command, &state) + refreshSimulation(&state)
        case .cycleModelA, .cycleModelB, .moreItems, .fewerItems, .toggleSeen: return performCompare(command, &state)
        case .showSimulate: return show(.simulate, &state)
        case .simStep, .simAutoplay, .simRestart, .simPersona, .simAgent, .simInstruct, .simPopulation:
            return performSimulate(command, &state)
        case .help:
            if state.top == .help { return back(&state) }
            state.stack.append(.help)
            state.helpLine = 0
            return []
        case .search:
            state.prompt = .search(query: "", hits: [], selected: 0)
            return []
        case .commandLine:
            state.prompt = .command("")
            return []
        case .cycleSort:
            switch state.top {
            case .users:
                let all = UserSort.allCases
                state.userSort = all[(all.firstIndex(of: state.userSort)! + 1) % all.count]
                state.users = PagedList()
                state.users.requested = 0
                state.message = "Users sorted by \(state.userSort.label)"
                return [.loadUsers(PageRequest(offset: 0, limit: pageSize, sort: state.userSort))]
            case .items:
                let all = ItemSort.allCases
                state.itemSort = all[(all.firstIndex(of: state.itemSort)! + 1) % all.count]
                if let filter = state.itemFilter {
                    state.itemFilter?.rows = state.itemSort.sorted(filter.rows)
                    applyItemFilter(&state)
                    state.message = "Items of \(filter.label) sorted by \(state.itemSort.label)"
                    return syncDetailItem(&state)
                }
                state.items = PagedList()
                state.items.requested = 0
                state.message = "Items sorted by \(state.itemSort.label)"
                return [.loadItems(PageRequest(offset: 0, limit: pageSize, sort: state.itemSort))]
            default: return []
            }
        }
    }

    /// Moves the selection of the focused list by `delta` rows, clamped to the list.
    static func move(by delta: Int, _ state: inout AppState) -> [Effect] {
        func moved(_ index: Int, _ count: Int) -> Int { clamp(index.addingReportingOverflow(delta).partialValue, count: count) }
        switch state.top {
        case .users:
            state.users.selected = moved(state.users.selected, state.users.count)
            return ensureUsersLoaded(&state) + syncBrowsedUser(&state)
        case .sessions:
            let before = state.selectedSession
            state.selectedSession = moved(before, state.sessions.count)
            return before == state.selectedSession ? [] : loadSelectedSession(&state)
        case .sessionItems:
            state.selectedSessionItem = moved(state.selectedSessionItem, state.sessionItems.count)
            return []
        case .items:
            state.items.selected = moved(state.items.selected, state.items.count)
            return ensureItemsLoaded(&state) + syncDetailItem(&state)
        case .itemDetail:
            state.selectedInteraction = moved(state.selectedInteraction, state.detail?.recent.count ?? 0)
            return []
        case .help:
            state.helpLine = max(0, min(state.helpLine.addingReportingOverflow(delta).partialValue,
                                        AppCommand.table.help(for: state.helpSubject.context).count
                                            + HelpPane.commandLineRows.count))
            return []
        case .compare:
            return moveCompareUser(by: delta, &state)
        case .tree:
            return moveTree(by: delta, &state)
        case .simulate:
            return movePersona(by: delta, &state)
        case .catalog, .metrics:
            return []
        }
    }

    static func drillDown(_ state: inout AppState) -> [Effect] {
        switch state.top {
        case .users:
            guard let row = state.users.selectedRow else { return [] }
            state.stack.append(.sessions(user: row.id))
            return row.id == state.browsedUser ? [] : browse(user: row.id, row: row, &state)
        case .sessions(let user):
            guard let session = state.selectedSessionRow else { return [] }
            state.stack.append(.sessionItems(user: user, session: session.id))
            return []
        case .sessionItems:
            guard let row = state.selectedSessionItemRow else { return [] }
            state.stack.append(.itemDetail(item: row.itemID))
            return row.itemID == state.detailItem && state.detail != nil ? [] : showDetail(item: row.itemID, &state)
        case .items:
            guard let row = state.items.selectedRow else { return [] }
            state.stack.append(.itemDetail(item: row.id))
            return row.id == state.detailItem ? [] : showDetail(item: row.id, &state)
        case .itemDetail:
            guard let recent = state.detail?.recent, recent.indices.contains(state.selectedInteraction) else { return [] }
            return [.openUser(id: recent[state.selectedInteraction].userID)]
        case .tree:
            return expandTreeNode(&state)
        case .catalog, .help, .compare, .metrics, .simulate:
            return []
        }
    }

    static func back(_ state: inout AppState) -> [Effect] {
        guard state.stack.count > 1 else { return [] }
        state.stack.removeLast()
        switch state.top {
        case .users: return syncBrowsedUser(&state)
        case .items: return syncDetailItem(&state)
        case .sessionItems:
            // Back from an item opened from a session: the detail no longer follows anything.
            return []
        default: return []
        }
    }

    static func show(_ tab: Tab, _ state: inout AppState) -> [Effect] {
        state.stack = [tab.root]
        switch tab {
        case .browse: return syncBrowsedUser(&state)
        case .items: return syncDetailItem(&state)
        case .catalog: return state.summary == nil ? [.loadSummary] : []
        case .compare:
            if state.browsedUser == nil, let row = state.users.selectedRow {
                return browse(user: row.id, row: row, &state) + refreshRecommendations(&state)
            }
            return refreshRecommendations(&state)
        case .metrics: return refreshRecommendations(&state)
        case .tree: return ensureTreeLoaded(&state)
        case .simulate: return refreshSimulation(&state)
        }
    }

    // MARK: prompts

    static func handlePrompt(_ key: Key, _ prompt: Prompt, _ state: inout AppState) -> [Effect] {
        switch prompt {
        case .search(let query, let hits, let selected):
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"):
                state.prompt = nil
            case .up: state.prompt = .search(query: query, hits: hits, selected: max(0, selected - 1))
            case .down: state.prompt = .search(query: query, hits: hits, selected: clamp(selected + 1, count: hits.count))
            case .enter:
                state.prompt = nil
                guard hits.indices.contains(selected) else {
                    if !query.isEmpty { state.message = "Nothing matches \"\(query)\"." }
                    return []
                }
                return open(hits[selected], &state)
            case .backspace:
                return setQuery(String(query.dropLast()), &state)
            case .char(let c):
                return setQuery(query + String(c), &state)
            default: break
            }
            return []
        case .command(let text):
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"):
                state.prompt = nil
            case .backspace:
                state.prompt = text.isEmpty ? nil : .command(String(text.dropLast()))
            case .enter:
                state.prompt = nil
                return runCommandLine(text, &state)
            case .char(let c):
                state.prompt = .command(text + String(c))
            default: break
            }
            return []
        case .instruction(let text), .persona(let text):
            // One-line text entry, as `:` has: Esc cancels, Enter submits.
            let edited = { (t: String) -> Prompt in if case .instruction = prompt { .instruction(t) } else { .persona(t) } }
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"): state.prompt = nil
            case .backspace: state.prompt = edited(String(text.dropLast()))
            case .enter:
                state.prompt = nil
                return submitSimulatePrompt(prompt, &state)
            case .char(let c): state.prompt = edited(text + String(c))
            default: break
            }
            return []
        }
    }

    static func setQuery(_ query: String, _ state: inout AppState) -> [Effect] {
        state.prompt = .search(query: query, hits: [], selected: 0)
        return query.isEmpty ? [] : [.search(query: query)]
    }

    static func open(_ hit: SearchHit, _ state: inout AppState) -> [Effect] {
        switch hit.kind {
        case .user: return [.openUser(id: hit.id)]
        case .item: return openItem(hit.id, &state)
        }
    }

    static func openItem(_ id: String, _ state: inout AppState) -> [Effect] {
        state.stack = [.items, .itemDetail(item: id)]
        return showDetail(item: id, &state)
    }

    /// Runs a `:` command line: `user ID`, `item ID`, `quit`, or any command name from help.
    static func runCommandLine(_ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first else { return [] }
        switch (verb, words.count) {
        case ("user", 2), ("u", 2): return [.openUser(id: words[1])]
        case ("item", 2), ("i", 2): return openItem(words[1], &state)
        case ("quit", 1), ("q", 1):
            state.isFinished = true
            return []
        case ("browse", 1): return show(.browse, &state)
        case ("items", 1): return show(.items, &state)
        case ("catalog", 1): return show(.catalog, &state)
        case ("compare", 1): return show(.compare, &state)
        case ("metrics", 1): return show(.metrics, &state)
        case ("tree", 1), ("sid", 1): return show(.tree, &state)
        case ("sid", 2):
            state.tree.pendingPrefix = words[1]
            return show(.tree, &state)
        case ("simulate", 1), ("sim", 1): return show(.simulate, &state)
        case ("simulate", 2), ("sim", 2):
            state.stack = [.simulate]
            return pickPersona(words[1], &state)
        default:
            if words.count == 1, let command = AppCommand.table.command(named: verb) ?? AppCommand(rawValue: verb) {
                return perform(command, &state)
            }
            state.message = "Unknown command \":\(text)\"; try :user ID, :item ID, :sid PREFIX, :quit, or a command name from ?."
            return []
        }
    }
}

extension UserSort {
    var label: String {
        switch self {
        case .id: "id"
        case .interactionsDescending: "interactions"
        case .lastSeenDescending: "last seen"
        }
    }
}

extension ItemSort {
    var label: String {
        switch self {
        case .id: "id"
        case .popularityDescending: "popularity"
        case .title: "title"
        }
    }
}
