import RecWorkbench
import Foundation
import TUIKit

/// Dates and durations as text, in UTC and without the locale, so screens are reproducible.
enum Format {
    /// `2024-03-05 14:22`.
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "—" }
        let c = civil(date)
        return "\(c.date) \(two(c.hour)):\(two(c.minute))"
    }

    /// `2024-03-05`.
    static func date(_ date: Date?) -> String {
        guard let date else { return "—" }
        return civil(date).date
    }

    /// `03-05 14:22`, for narrow columns.
    static func shortDateTime(_ date: Date) -> String {
        let c = civil(date)
        return "\(c.date.dropFirst(5)) \(two(c.hour)):\(two(c.minute))"
    }

    /// `14:22`.
    static func time(_ date: Date) -> String {
        let c = civil(date)
        return "\(two(c.hour)):\(two(c.minute))"
    }

    /// `45s`, `12m`, `3h`, `2d`.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// A count with thousands separators: `1,000,209`.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A score with four significant digits: `1234`, `0.4521`, `1.2e+04` (compact from 100,000 up).
    static func score(_ value: Float) -> String {
        guard value.isFinite else { return "—" }
        let a = abs(Double(value))
        if a >= 1e5 { return formatCompact(Double(value)) }
        if a >= 100 || (a >= 1 && value == value.rounded()) { return String(Int(Double(value).rounded())) }
        return NumberText.decimals(Double(value), a >= 10 ? 2 : a >= 1 ? 3 : 4)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(_ date: Date) -> (date: String, hour: Int, minute: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return ("\(y)-\(two(m))-\(two(d))", secs / 3600, secs % 3600 / 60)
    }
}
