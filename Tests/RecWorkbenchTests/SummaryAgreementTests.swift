import Foundation
import Testing
import RecCatalog
import RecCore
@testable import RecWorkbench

/// `recscope stats` and the explorer's catalog summary describe the same catalog with the same numbers.
@Suite struct SummaryAgreementTests {
    @Test func statsAndTheBrowserSummaryAgree() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stats = try catalog.stats()
        let summary = try CatalogBrowser(catalog: catalog).summary()
        #expect(summary.perUser == stats.interactionsPerUser)
        #expect(summary.perItem == stats.interactionsPerItem)
        #expect((summary.users, summary.items, summary.interactions, summary.sessions)
                == (stats.users, stats.items, stats.interactions, stats.sessions))
        #expect(summary.perUser.median > 0 && summary.perUser.max >= summary.perUser.p99)
    }
}
