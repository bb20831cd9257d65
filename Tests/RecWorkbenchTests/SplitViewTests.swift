import Foundation
import Testing
@testable import RecCatalog
import RecCore
import RecEval
import RecModels
@testable import RecWorkbench

/// The workbench gives a catalog and the same interactions held in memory the same splits, models and lists.
@Suite struct SplitViewTests {
    /// The catalog's interactions and items, copied into a `MemoryStore`.
    static func memoryCopy(of catalog: Catalog) throws -> MemoryStore {
        MemoryStore(name: "copy", log: try catalog.interactionLog(), items: try catalog.itemListing())
    }

    @Test func aViewHoldsEveryInteractionOnceInTimeOrder() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let view = try bench.view("loo")
        let log = bench.log
        let trainRows: Int = view.history.map(\.count).reduce(0, +)
        let heldOutRows: Int = view.heldOut.map(\.count).reduce(0, +)
        #expect(trainRows + heldOutRows == log.count)
        #expect(view.train.nonZeroCount <= trainRows)
        for u in 0..<log.userCount {
            // Leave-one-out: the last interaction is the test item, the one before it valid.
            let rows = (0..<log.count).filter { Int(log.users[$0]) == u }
            guard rows.count >= 3 else { continue }
            #expect(view.heldOut[u].map(\.item) == rows.suffix(2).map { log.items[$0] })
            #expect(view.heldOut[u].map(\.role) == [.valid, .test])
            #expect(view.history[u] == rows.dropLast(2).map { log.items[$0] })
            #expect(view.seen(u).sortedItems == Array(Set(rows.dropLast().map { log.items[$0] })).sorted())
        }
    }

    /// The view's matrices are made from the per-user histories, and must be the ones the split makes from
    /// the log's rows (what `recscope eval` judges on), for every split strategy.
    @Test func theViewsMatricesAreTheSplitsOwn() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let log = bench.log
        for name in ModelWorkbench.splitNames {
            let split = try bench.split(name)
            let view = try bench.view(name)
            let train = bench.matrix(split)
            let test = split.heldOut(.test, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
            for (mine, theirs, what) in [(view.train, train, "train"), (view.test.truth, test.truth, "truth"), (view.test.seen, test.seen, "seen")] {
                #expect(mine.rowStart == theirs.rowStart && mine.itemIndices == theirs.itemIndices, "\(name) \(what)")
                #expect(mine.values == theirs.values, "\(name) \(what) values")
            }
            #expect(test.seen.nonZeroCount > 0 && test.truth.nonZeroCount > 0)
            for u in 0..<log.userCount {
                #expect(view.seen(u).sortedItems == Array(test.seen.items(ofUser: u)), "\(name) user \(u)")
            }
        }
    }

    /// A workbench without rows loads stored models but refuses to split (it would store an empty split).
    @Test func aWorkbenchWithoutRowsLoadsStoredModelsButNeverSplits() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let trained = try bench.train(.itemknn, params: [:], split: "loo").model
        let lean = bench.withoutRows()
        #expect(bench.hasRows && !lean.hasRows && lean.log.count == 0)
        #expect(lean.log.userIDs == bench.log.userIDs && lean.log.itemIDs == bench.log.itemIDs)
        let stored = try #require(try lean.stored(.itemknn, params: [:], split: "loo"))
        #expect(stored.model.recommend(user: 4, k: 10, exclude: .none) == trained.recommend(user: 4, k: 10, exclude: .none))
        #expect(throws: WorkbenchError.self) { try lean.split("loo") }
        #expect(throws: WorkbenchError.self) { try lean.train(.pop, params: [:], split: "loo") }
        // The stored split is unchanged: the full workbench reads the same roles back.
        #expect(try bench.split("loo").roles == Split.leaveOneOut(users: bench.log.users, timestamps: bench.log.timestamps,
                                                                     sequence: bench.log.sequence).roles)
    }

    /// A stored split whose held-out row is gone from its user's rows is an error that says what to do.
    @Test func aStoredSplitWithAMissingRowIsAnError() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let stored = StoredSplit(id: 1, name: "loo", kind: "loo", params: [:], createdAt: "",
                                 holdout: [HoldoutRow(interaction: 1 << 40, user: 2, item: 0, role: .test)])
        do {
            _ = try bench.roles(from: stored)
            Issue.record("a missing row was accepted")
        } catch {
            #expect("\(error)".contains("holds interaction \(1 << 40) of user 2, which the catalog no longer has"))
        }
    }

    @Test func aMemoryStoreGivesTheCatalogsSplitAndModels() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onDisk = try ModelWorkbench(catalog: catalog)
        let inMemory = try ModelWorkbench(store: try Self.memoryCopy(of: catalog))
        #expect(try onDisk.split("loo").roles == inMemory.split("loo").roles)
        // rank reads the most beyond the matrix (sequences, valid rows, categories); small so it trains fast.
        let small = ["candidates": "10", "sid.factors": "8", "sid.iterations": "3", "sid.codes": "8"]
        for (kind, params) in [(ModelKind.pop, [:]), (.itemknn, [:]), (.rank, small)] {
            let a = try onDisk.train(kind, params: params, split: "loo").model
            let b = try inMemory.train(kind, params: params, split: "loo").model
            for u in stride(from: 0, to: onDisk.log.userCount, by: 97) {
                #expect(a.recommend(user: u, k: 10, exclude: .none) == b.recommend(user: u, k: 10, exclude: .none),
                        "\(kind) differs for user \(u)")
            }
        }
        // The memory store keeps nothing: a model is trained again, never loaded.
        #expect(try inMemory.stored(.pop, params: [:], split: "loo") == nil)
        #expect(try onDisk.stored(.pop, params: [:], split: "loo") != nil)
    }

    @Test func usersAndItemsAreLookedUpByExternalID() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let id = bench.log.userIDs[5]
        #expect(try bench.user(id) == 5)
        #expect(try bench.item(bench.log.itemIDs[7]) == 7)
        #expect(throws: WorkbenchError.self) { try bench.user("no such user") }
        do { _ = try bench.user("nobody") } catch { #expect("\(error)".contains("expected a user id from the imported data, e.g.")) }
    }
}
