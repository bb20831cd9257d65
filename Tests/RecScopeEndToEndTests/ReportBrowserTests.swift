import Foundation
import Testing

/// Where a headless Chromium is: `$RECSCOPE_CHROMIUM`, else Debian's `chromium` (what `.ci/run` installs).
enum Chromium {
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["RECSCOPE_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser",
                          "/usr/bin/google-chrome"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `.ci/run` sets RECSCOPE_CI: there a missing browser is a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["RECSCOPE_CI"] != nil

    /// Flags for a quiet, offline, root-safe headless run: every host name resolves to nothing, so no request
    /// can leave the machine, and the net log records every request anyone tried.
    static func flags(netLog: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=\(netLog)"]
    }

    /// Runs chromium with `arguments` on `url`, its output into `stdout` (a file, since its helper processes
    /// keep inherited pipes open).
    static func run(_ arguments: [String], url: String, stdout: String) throws {
        let words = [path!] + arguments + [url]
        let line = "timeout 120 " + words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            + " > '\(stdout)'"
        _ = try Binary.shell(line)
    }

    /// The URLs a page asked for, from a net log: requests whose initiator is the page (the `file://` document,
    /// an opaque origin) rather than the browser's own services ("not an origin").
    static func pageRequests(netLog: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: netLog))
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = (log["events"] as? [[String: Any]]) ?? []
        var urls: [String] = []
        for event in events {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            let initiator = params["initiator"] as? String
            let isolation = params["network_isolation_key"] as? String ?? ""
            if (initiator != nil && initiator != "not an origin") || isolation.contains("file://") { urls.append(url) }
        }
        return Array(Set(urls)).sorted()
    }
}

/// The report opens in a real browser: every section and chart is in the DOM, hostile titles are inert text,
/// and the page asks for nothing over the network. The screenshot is kept for a person to look at.
@Suite(.enabled(if: Chromium.path != nil || Chromium.required,
                "chromium is not installed here (apt-get install chromium, as .ci/run does; or set RECSCOPE_CHROMIUM): the report's browser test is skipped"))
struct ReportBrowserTests {
    /// Where the screenshot and the report stay after the test: `.build/test-artifacts/`.
    static let artifacts = Binary.projectRoot + "/.build/test-artifacts"

    static let hostileTitles = [
        "<script>document.title='pwned'</script> Evil",
        "Red \u{1B}[31mALERT\u{1B}[0m \u{1B}]0;pwned\u{07} title",
        "Bidi \u{202E}evil\u{202C} gnp.exe",
        "Long " + String(repeating: "W", count: 10_000) + " end",
        "Quote \" and ' & <img src=http://probe.invalid/x.png onerror=alert(1)>",
    ]

    /// A catalog whose first five items carry hostile titles, and a stored simulation run.
    static func hostileCatalog(in dir: String) throws -> String {
        var items = "item_id,title,genres\n"
        for i in 0..<60 {
            let title = i < hostileTitles.count ? hostileTitles[i] : "Film \(i)"
            items += "i\(i),\"\(title.replacingOccurrences(of: "\"", with: "\"\""))\",Drama|Comedy\n"
        }
        var events = "user,item,time\n"
        var t = 1_600_000_000
        for u in 0..<40 {
            for n in 0..<12 {
                let item = n % 3 == 0 ? (u + n) % hostileTitles.count : (u * 7 + n * 13) % 60
                events += "u\(u),i\(item),\(t)\n"
                t += 60
            }
        }
        try items.write(toFile: dir + "/items.csv", atomically: true, encoding: .utf8)
        try events.write(toFile: dir + "/events.csv", atomically: true, encoding: .utf8)
        let catalog = dir + "/hostile.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "csv", dir + "/events.csv", "--user-col", "user",
                                       "--item-col", "item", "--time-col", "time", "--items", dir + "/items.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let sim = try Binary.run(["simulate", "--catalog", catalog, "--model", "pop", "--users", "6", "--turns", "5", "--seed", "1"])
        #expect(sim.status == 0, "\(sim.stderr)")
        return catalog
    }

    @Test func theReportRendersInAHeadlessBrowserWithEverySectionAndNoNetworkRequest() throws {
        guard Chromium.path != nil else {
            Issue.record("RECSCOPE_CI is set but no chromium was found: .ci/run should have installed Debian's chromium")
            return
        }
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Self.hostileCatalog(in: dir)
        let html = dir + "/report.html"
        let made = try Binary.run(["report", "--catalog", catalog, "--out", html, "--models", "pop,itemknn,als,bpr,ease", "--sim", "1",
                                   "--generated", "2024-01-01", "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        let sections = try #require(doc["sections"] as? [String]), charts = try #require(doc["charts"] as? [String])
        #expect(sections == ["summary", "metrics", "fairness", "users", "simulation"])
        #expect(charts.count == 10, "\(charts)")

        // The file: small, self-contained, inert.
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.utf8.count < 1_000_000)
        #expect(text.range(of: "<script", options: .caseInsensitive) == nil)
        #expect(text.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{07}" })
        #expect(text.contains("␛[31mALERT") && text.contains("&lt;U+202E&gt;evil"))
        #expect(!text.contains(String(repeating: "W", count: 200)), "a 10 kB title is cut")
        for pattern in ["src=\"http", "href=\"http", "url(", "@import", "src=\"//", "href=\"//"] {
            #expect(!text.contains(pattern), "the report references something outside itself: \(pattern)")
        }

        // The browser: every section and chart in the DOM, no script, the page asked for nothing.
        let netLog = dir + "/net.json", dom = dir + "/dom.html"
        try Chromium.run(Chromium.flags(netLog: netLog) + ["--dump-dom"], url: "file://" + html, stdout: dom)
        let rendered = try String(contentsOfFile: dom, encoding: .utf8)
        #expect(rendered.contains("</html>"), "chromium did not render the report: \(rendered.prefix(300))")
        for id in sections + charts { #expect(rendered.contains("id=\"\(id)\""), "no element \(id) in the rendered DOM") }
        for id in charts {
            let figure = rendered.components(separatedBy: "id=\"\(id)\"").dropFirst().first ?? ""
            #expect(figure.prefix(400).contains("<svg"), "chart \(id) has no SVG")
        }
        #expect(rendered.range(of: "<script", options: .caseInsensitive) == nil)
        #expect(rendered.contains("<title>RecScope report:"), "the title changed: a script ran")
        let requests = try Chromium.pageRequests(netLog: netLog)
        #expect(requests.isEmpty, "the report made requests: \(requests)")

        // The detector is not blind: a page that does load things is caught by the same net log reading.
        let probe = dir + "/probe.html", probeLog = dir + "/probe.json"
        try "<!DOCTYPE html><html><body><img src=\"http://probe.invalid/x.png\"><p>probe</p></body></html>"
            .write(toFile: probe, atomically: true, encoding: .utf8)
        try Chromium.run(Chromium.flags(netLog: probeLog) + ["--dump-dom"], url: "file://" + probe, stdout: dir + "/probe-dom.html")
        #expect(try Chromium.pageRequests(netLog: probeLog).contains("http://probe.invalid/x.png"))

        // The screenshot, kept for a person to look at.
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let shot = Self.artifacts + "/report.png"
        try? FileManager.default.removeItem(atPath: shot)
        try Chromium.run(Chromium.flags(netLog: dir + "/shot.json") + ["--window-size=1280,4000", "--screenshot=\(shot)"],
                         url: "file://" + html, stdout: dir + "/shot.txt")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 10_000 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "no screenshot at \(shot)")
        try? FileManager.default.removeItem(atPath: Self.artifacts + "/report.html")
        try FileManager.default.copyItem(atPath: html, toPath: Self.artifacts + "/report.html")
        print("report screenshot: \(shot) (the report beside it: \(Self.artifacts)/report.html)")
    }
}
