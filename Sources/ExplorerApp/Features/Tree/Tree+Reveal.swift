import RecModels
import RecWorkbench
import TUIKit

extension TreeFeature {
    /// Shows what the selection asks for (an item's path, a prefix) once the tree is there; says there is
    /// no tree when the load found none.
    static func revealTarget(_ state: inout AppState) {
        guard let target = state.selection.treeTarget else { return }
        guard let codeTree = state.tree.tree else {
            if !state.tree.isLoading {
                state.selection.treeTarget = nil
                if state.tree.failure == nil { state.message = "\(state.catalogName) has no semantic IDs yet (recscope sid build)." }
            }
            return
        }
        state.selection.treeTarget = nil
        switch target {
        case .item(let id): reveal(item: id, in: codeTree, &state)
        case .prefix(let prefix): reveal(prefix: prefix, in: codeTree, &state)
        }
    }

    /// Opens the nodes down to the item's full path and selects it.
    static func reveal(item id: String, in codeTree: CodeTree, _ state: inout AppState) {
        guard let n = codeTree.index(ofItem: id) else {
            state.message = "There is no item \(id) in the tree of space \(codeTree.space)."
            return
        }
        let path = codeTree.tree.path(of: n)
        state.tree.expanded.formUnion(path.dropLast())
        state.tree.selectedNode = path.last
        state.tree.focusedItem = id
        state.message = "Item \(id) is at \(codeTree.tree.pathString(of: n)) in space \(codeTree.space)."
    }

    /// Opens the nodes down to `prefix` (or the nearest prefix that exists) and selects it, open.
    static func reveal(prefix text: String, in codeTree: CodeTree, _ state: inout AppState) {
        let tree = codeTree.tree
        guard let codes = SemanticTree.parsePrefix(text) else {
            state.message = "\":sid \(text)\": expected a prefix of codes joined by '-', e.g. :sid 12-7."
            return
        }
        var node: Int
        if codes.count <= tree.levels, let exact = tree.node(codes: codes) {
            node = exact
        } else {
            node = tree.nearest(to: Array(codes.prefix(tree.levels)))
            state.message = "No item has prefix \(text) in space \(codeTree.space); the nearest is \(tree.prefix(of: node))."
        }
        if node == tree.root {
            state.tree.selectedNode = tree.children(of: tree.root).first
            return
        }
        if !tree.children(of: node).isEmpty { state.tree.expanded.insert(node) }
        var ancestor = node
        while let parent = tree.parent(of: ancestor), parent != tree.root {
            state.tree.expanded.insert(parent)
            ancestor = parent
        }
        state.tree.selectedNode = node
    }
}

/// The stored spaces and the code tree of `space` (nil: the default space); reads every item.
struct LoadCodeTree: FeatureWork {
    let space: String?
    var summary: String { "loading the code tree of \(space ?? "the default space")" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(CodeTreeLoaded(load: Self.load(space, sources)))
    }

    /// The spaces and the tree of `space` (or of the default space), with a failure as text.
    static func load(_ space: String?, _ sources: Sources) -> CodeTreeLoad {
        var spaces: [String] = []
        do {
            spaces = try sources.data.semanticIDSpaces()
            guard let chosen = space.flatMap({ spaces.contains($0) ? $0 : nil }) ?? defaultSpace(spaces) else {
                return CodeTreeLoad(spaces: spaces, space: nil, tree: nil)
            }
            return CodeTreeLoad(spaces: spaces, space: chosen, tree: try sources.data.codeTree(space: chosen))
        } catch {
            return CodeTreeLoad(spaces: spaces, space: space, tree: nil, failure: "loading the code tree failed: \(error)")
        }
    }
}

/// Builds and stores a built-in space's semantic IDs, then loads its tree; seconds on a large catalog.
struct BuildSemanticIDs: FeatureWork {
    let space: String
    var summary: String { "building the semantic IDs of \(space)" }
    var lane: EffectLane { .training }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        do { try sources.data.buildSemanticIDs(space: space) } catch {
            return .message(CodeTreeLoaded(load: CodeTreeLoad(spaces: (try? sources.data.semanticIDSpaces()) ?? [], space: nil,
                                                              tree: nil, failure: "building semantic IDs of '\(space)' failed: \(error)")))
        }
        return .message(CodeTreeLoaded(load: LoadCodeTree.load(space, sources)))
    }
}

struct CodeTreeLoaded: FeatureMessage {
    let load: CodeTreeLoad

    func apply(to state: inout AppState) -> [Effect] {
        // The answer for a space the user has switched away from is dropped; the newer load follows.
        if let wanted = state.tree.space, load.space != wanted, load.spaces.contains(wanted) { return [] }
        state.tree.isLoading = false
        state.tree.isBuilding = false
        state.tree.spaces = load.spaces
        state.tree.space = load.space
        state.tree.tree = load.tree
        state.tree.failure = load.failure
        state.tree.expanded = []
        state.tree.selectedNode = load.tree.flatMap { $0.tree.children(of: $0.tree.root).first }
        return []
    }
}
