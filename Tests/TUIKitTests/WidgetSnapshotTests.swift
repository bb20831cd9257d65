import SnapshotSupport
import Testing
@testable import TUIKit

/// Every widget drawn into a box on a fixed 80×24 and 120×40 canvas, compared as text.
@Suite struct WidgetSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    static func gallery(_ name: String, _ widget: some Widget) -> [(String, String)] {
        sizes.map { width, height in
            var canvas = Canvas(width: width, height: height)
            Box(title: name).render(in: canvas.bounds, on: &canvas)
            widget.render(in: Box.inner(canvas.bounds), on: &canvas)
            return ("\(name)-\(width)x\(height)", canvas.text)
        }
    }

    static let titles = ["Toy Story (1995)", "千と千尋の神隠し", "🎬 Premiere Night 🍿", "Amélie",
                         "Evil \u{1B}[2J title \u{202E}desrever", String(repeating: "A very long title ", count: 20)]

    static let names = ["list", "table", "tree", "barchart", "sparkline", "braille-line", "braille-scatter",
                        "progress", "status", "textblock", "box"]

    static func widget(named name: String) -> any Widget {
        switch name {
        case "list":
            let items = (1...100).map { "row \($0): \(titles[$0 % titles.count])" }
            return ListView(items: items, selected: 57)
        case "table":
            let rows: [[String]] = (1...60).map { i in
                [String(i), titles[i % titles.count], String(1990 + i % 30), String(1000 / i)]
            }
            let columns = [Column("id", .fixed(4), .right), Column("title", .fill),
                           Column("year", .fixed(4), .right), Column("pop", .percent(10), .right)]
            return TableView(columns: columns, rows: rows, selected: 3)
        case "tree":
            let children: [TreeNode<String>] = (0..<4).map { a in
                let leaves: [TreeNode<String>] = (0..<3).map { b in
                    TreeNode(id: "\(a).\(b)", label: "level-2 code \(a).\(b) — " + titles[(a + b) % titles.count])
                }
                return TreeNode(id: "\(a)", label: "level-1 code \(a)", children: leaves)
            }
            let tree = TreeNode(id: "root", label: "codebook", children: children)
            return TreeView(rows: tree.flatten(expanded: ["root", "1", "3"]), selected: 6)
        case "barchart":
            return BarChart(labels: ["1", "2-3", "4-7", "8-15", "16-31", "32-63"], values: [120, 340, 290, 150, 60, 7])
        case "sparkline":
            let values: [Double] = (0..<300).map { i in Double((i * 7919) % 100) + Double(i) / 3 }
            return Sparkline(values: values)
        case "braille-line":
            let curve: [(x: Double, y: Double)] = (0...200).map { i in
                let x = Double(i) / 200
                let y = 1 - (1 - x) * (1 - x) * (1 - x)
                return (x, y)
            }
            return BraillePlot(points: curve, xRange: 0...1, yRange: 0...1)
        case "braille-scatter":
            var points: [(x: Double, y: Double)] = []
            for i in 0..<150 {
                let x: Int = (i &* 37) % 101
                let y: Int = (i &* i &* 13) % 97
                points.append((Double(x), Double(y)))
            }
            return BraillePlot(points: points, mode: .scatter)
        case "progress":
            return ProgressBar(fraction: 0.4213, label: "training ALS")
        case "status":
            return StatusBar(left: "j/k move · Enter open · ? help · " + titles[4], right: "ml-100k 42/943")
        case "textblock":
            return TextBlock("RecScope shows recommender data. " + titles.joined(separator: " · ") + "\nSecond paragraph.")
        default:
            return Box(title: "Inner " + titles[1])
        }
    }

    @Test(arguments: names)
    func widgetSnapshot(name: String) {
        let widget = Self.widget(named: name)
        for (snapshot, text) in Self.gallery(name, widget) {
            assertSnapshot(text, named: snapshot)
        }
    }

    @Test func sparklineScalesFromZeroToTheMaximum() {
        var canvas = Canvas(width: 8, height: 1)
        Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).render(in: canvas.bounds, on: &canvas)
        #expect(canvas.lines == ["▁▂▃▄▅▆▇█"])
        #expect(Sparkline.resample([1, 3, 5, 7], width: 2) == [2, 6])
    }

    @Test func progressBarFillsInEighths() {
        var canvas = Canvas(width: 15, height: 1)
        ProgressBar(fraction: 0.5).render(in: canvas.bounds, on: &canvas)
        #expect(canvas.lines == ["█████▌      50%"])  // 5.5 of 11 cells
        canvas = Canvas(width: 15, height: 1)
        ProgressBar(fraction: 1).render(in: canvas.bounds, on: &canvas)
        #expect(canvas.lines == ["██████████ 100%"])
    }

    @Test func brailleDiagonalSetsOneDotPerColumn() {
        var canvas = Canvas(width: 2, height: 1)
        BraillePlot(points: [(0, 0), (3, 3)], xRange: 0...3, yRange: 0...3).render(in: canvas.bounds, on: &canvas)
        // Dots (0,3) (1,2) | (2,1) (3,0): bottom-left rising to top-right.
        #expect(canvas.lines == ["\u{2860}\u{280A}"])
    }

    @Test func treeMarkersShowExpansion() {
        let tree = TreeNode(id: 0, label: "a", children: [TreeNode(id: 1, label: "b", children: [TreeNode(id: 2, label: "c")])])
        var canvas = Canvas(width: 10, height: 3)
        TreeView(rows: tree.flatten(expanded: [0])).render(in: canvas.bounds, on: &canvas)
        #expect(canvas.lines == ["  ▾ a", "    ▸ b", ""])
    }

    @Test func tableRowIndexFollowsScrolling() {
        let table = TableView(columns: [Column("n", .fill)], rows: (0..<100).map { [String($0)] }, selected: 50)
        let area = Rect(x: 0, y: 0, width: 10, height: 11)
        #expect(table.rowIndex(atY: 0, in: area) == nil)
        #expect(table.rowIndex(atY: 1, in: area) == 45)
        #expect(table.rowIndex(atY: 6, in: area) == 50)
    }

    @Test func compactNumbers() {
        #expect(formatCompact(12) == "12")
        #expect(formatCompact(12_345) == "12.3k")
        #expect(formatCompact(3_400_000) == "3.4M")
        #expect(formatCompact(0.25) == "0.25")
    }
}
