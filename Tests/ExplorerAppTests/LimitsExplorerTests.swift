import Foundation
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp
import RecCatalog

/// The explorer on degenerate catalogs (nothing at all; one item; users and items without interactions):
/// every pane draws, keys work, and what cannot be computed says so instead of trapping.
@Suite struct LimitsExplorerTests {
    static func catalog(_ inter: String?, users: String? = nil, items: String? = nil) throws -> (Catalog, String) {
        let folder = NSTemporaryDirectory() + "/recscope-limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = try Catalog(path: folder + "/c.sqlite")
        if let inter {
            try inter.write(toFile: folder + "/d.inter", atomically: true, encoding: .utf8)
            try users?.write(toFile: folder + "/d.user", atomically: true, encoding: .utf8)
            try items?.write(toFile: folder + "/d.item", atomically: true, encoding: .utf8)
            _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [folder]))
        }
        return (catalog, folder)
    }

    static let header = "user_id:token\titem_id:token\ttimestamp:float\n"
    static let shapes: [String: (inter: String?, users: String?, items: String?)] = [
        "empty": (nil, nil, nil),
        "one-item": (header + "u1\ti1\t1\nu2\ti1\t2\n", nil, nil),
        "untouched": (header + "u1\ti1\t1\nu1\ti2\t2\n", "user_id:token\nu1\nlonely\n", "item_id:token\ttitle:token_seq\ni1\tOne\ni2\tTwo\ndusty\tNobody's\n"),
    ]

    @Test(arguments: ["empty", "one-item", "untouched"])
    func everyPaneCopes(with shape: String) throws {
        let spec = Self.shapes[shape]!
        let (catalog, folder) = try Self.catalog(spec.inter, users: spec.users, items: spec.items)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var session = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog),
                                      recommendations: CatalogRecommendationSource(catalog: catalog),
                                      width: 80, height: 24, mode: .inline)
        let script = "j k Enter Enter Esc Esc G g s 2 j G Enter Esc s 3 ? Esc 4 j a b + x 5 / x Esc : \"user lonely\" Enter : \"item dusty\" Enter R 1 Resize:40x12 Resize:1x1 Resize:120x40"
        var screens: [String] = []
        for key in try Key.parseScript(script) {
            session.receive(key)
            var canvas = Canvas(width: session.state.width, height: session.state.height)
            Explorer.render(session.state, on: &canvas)
            screens.append(canvas.text)
        }
        #expect(screens.count > 30)
        if shape == "empty" { #expect(session.state.users.total == 0 && session.state.items.list.total == 0) }
        if shape == "untouched" { #expect(session.state.users.total == 2 && session.state.items.list.total == 3) }
    }
}
