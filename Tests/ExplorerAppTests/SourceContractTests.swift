import Foundation
import Testing
import ExplorerTestSupport
import RecModels
import RecWorkbench
@testable import ExplorerApp

/// The recommendation and simulation contracts, run against both implementations: models of a catalog's
/// split (stored and reloaded), and models of an in-memory catalog.
@Suite(.serialized) struct SourceContractTests {
    static let models: [ModelKind] = [.pop, .itemknn, .ease]

    @Test func inMemorySourceKeepsTheContracts() throws {
        let data = InMemoryDataSource.demo()
        let source = InMemoryRecommendationSource(data: data, models: Self.models)
        let users = try data.users(PageRequest(offset: 0, limit: 12, sort: .id)).rows.map(\.id)
        #expect(try RecommendationSourceContract.violations(of: source, models: Self.models, users: users) == [])
        #expect(try RecommendationSourceContract.violations(of: source, model: .itemknn) == [])
    }

    @Test func catalogSourceKeepsTheContracts() throws {
        let (catalog, folder) = try CatalogDataSourceTests.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CatalogRecommendationSource(catalog: catalog)
        let users = try CatalogDataSource(catalog: catalog).users(PageRequest(offset: 0, limit: 8, sort: .id)).rows.map(\.id)
        let models: [ModelKind] = [.pop, .itemknn]
        #expect(try RecommendationSourceContract.violations(of: source, models: models, users: users) == [])
        #expect(try RecommendationSourceContract.violations(of: source, model: .itemknn) == [])
        // A second source on the same catalog loads the stored models and keeps the contract too.
        let again = CatalogRecommendationSource(catalog: catalog)
        #expect(try again.prepare(model: .itemknn) { _ in }.origin == .stored)
        #expect(try RecommendationSourceContract.violations(of: again, models: models, users: users) == [])
    }

    /// The contract notices a source that breaks its promises.
    @Test func theContractCatchesASourceThatRecommendsSeenItems() throws {
        let data = InMemoryDataSource.demo()
        let broken = IgnoresSeen(base: InMemoryRecommendationSource(data: data, models: [.pop]))
        let users = try data.users(PageRequest(offset: 0, limit: 12, sort: .id)).rows.map(\.id)
        let problems = try RecommendationSourceContract.violations(of: broken, models: [.pop], users: users)
        #expect(problems.contains { $0.contains("seen before the test rows") })
    }
}

/// A source that forgets to leave seen items out.
struct IgnoresSeen: RecommendationSource {
    let base: InMemoryRecommendationSource
    var splitName: String { base.splitName }
    var modelKinds: [ModelKind] { base.modelKinds }
    func prepare(model: ModelKind, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        try base.prepare(model: model, progress: progress)
    }
    func recommend(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> Recommendations {
        try base.recommend(user: user, model: model, k: k, excludeSeen: false)
    }
    func history(user: String, recent: Int) throws -> UserHistory { try base.history(user: user, recent: recent) }
    func metrics(model: ModelKind, k: Int) throws -> ModelMetrics { try base.metrics(model: model, k: k) }
    func similarItems(item: String, model: ModelKind, k: Int) throws -> [RecommendedItem] {
        try base.similarItems(item: item, model: model, k: k)
    }
    func lens(models: [ModelKind], k: Int) throws -> LensSnapshot { try base.lens(models: models, k: k) }
}
