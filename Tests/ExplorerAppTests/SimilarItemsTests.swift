import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// The item detail's "similar items" section: asked for when the detail opens, by the Compare pane's model A.
@Suite struct SimilarItemsTests {
    static func itemDetailState(modelReady: Bool) -> AppState {
        var state = CompareTests.ready([.pop, .itemknn])
        if !modelReady { state.models.status = [:] }
        state.stack = [.items]
        state.items.detailItem = "142"
        state.items.list.total = 1
        let row = ItemRow(id: "142", title: "The Last River", year: 1973, categories: [], popularity: 3)
        state.items.list.page = Page(offset: 0, rows: [row], total: 1)
        state.items.detail = ItemDetail(item: row, attributes: [], userCount: 0, recent: [])
        return state
    }

    @Test func openingTheDetailAsksForSimilarItemsOfModelA() {
        var state = Self.itemDetailState(modelReady: true)
        let effects = Explorer.update(&state, .key(Key(name: "Enter")!))
        let request = SimilarRequest(item: "142", model: .pop, k: SimilarItems.count)
        #expect(state.top == .itemDetail(item: "142"))
        #expect(effects.contains(.loadSimilar(request)))
        #expect(state.items.similar?.items == nil)
        // Moving in the interactions does not ask again.
        #expect(!Explorer.update(&state, .key(Key(name: "j")!)).contains(.loadSimilar(request)))
        let items = [RecommendedItem(id: "7", title: "Seven", score: 0.5)]
        _ = Explorer.update(&state, .similarLoaded(request, items))
        #expect(state.items.similar?.items == items)
        // A stale answer (another item) is ignored.
        _ = Explorer.update(&state, .similarLoaded(SimilarRequest(item: "1", model: .pop, k: 10), []))
        #expect(state.items.similar?.items == items)
    }

    @Test func anUnpreparedModelIsPreparedFirstAndTheListShowsLoading() {
        var state = Self.itemDetailState(modelReady: false)
        let effects = Explorer.update(&state, .key(Key(name: "Enter")!))
        #expect(effects.contains(.prepareModel(.pop)))
        #expect(!effects.contains { $0.work is LoadSimilar })
        var canvas = Canvas(width: 80, height: 24)
        Explorer.render(state, on: &canvas)
        #expect(canvas.text.contains("similar (pop): loading…"))
        #expect(canvas.text.contains("preparing pop…"))
        let after = Explorer.update(&state, .modelPrepared(ModelInfo(model: .pop, origin: .trained, fitSeconds: 0)))
        #expect(after.contains(.loadSimilar(SimilarRequest(item: "142", model: .pop, k: SimilarItems.count))))
        #expect(state.items.similar?.sent == true)
    }

    @Test func aFailedModelShowsWhy() {
        var state = Self.itemDetailState(modelReady: false)
        _ = Explorer.update(&state, .key(Key(name: "Enter")!))
        _ = Explorer.update(&state, .modelFailed(model: .pop, "out of memory"))
        #expect(state.items.similar?.failure == "out of memory")
    }

    @Test func withoutModelsTheSectionIsOmitted() {
        var state = Self.itemDetailState(modelReady: true)
        state.models.kinds = []
        let effects = Explorer.update(&state, .key(Key(name: "Enter")!))
        #expect(effects.allSatisfy { !($0.work is LoadSimilar) })
        #expect(state.items.similar == nil)
        var canvas = Canvas(width: 80, height: 24)
        Explorer.render(state, on: &canvas)
        #expect(!canvas.text.contains("similar"))
    }

    /// The in-memory source answers with the model's own similarity, never the item itself.
    @Test func sourceAnswersWithoutTheItemItself() throws {
        let source = CompareTests.source
        _ = try source.prepare(model: .itemknn) { _ in }
        _ = try source.prepare(model: .pop) { _ in }
        let similar = try source.similarItems(item: "142", model: .itemknn, k: 10)
        #expect(similar.count == 10 && !similar.contains { $0.id == "142" })
        #expect(zip(similar, similar.dropFirst()).allSatisfy { $0.score >= $1.score })
        let popular = try source.similarItems(item: "142", model: .pop, k: 3)
        #expect(!popular.contains { $0.id == "142" } && popular.count == 3)
        #expect(throws: RecommendationError.self) { try source.similarItems(item: "no such item", model: .pop, k: 3) }
    }
}
