import Foundation

/// A calendar day (`YYYY-MM-DD`) with no time zone: approval dates, review dates and
/// access dates in the knowledge base are days, and comparing them must not shift with
/// the server's clock settings. Encoded as the ISO string.
///
/// When a source gives only the month (some regulators publish decisions that way), the
/// value may be written `YYYY-MM`; `day` is then 0 and `isMonthOnly` is true. It sorts
/// before every full date of that month.
public struct Day: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; returns nil for anything else (including impossible months or days).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m)
        else { return nil }
        if parts.count == 2 {
            self.init(year: y, month: m, day: 0)
            return
        }
        guard parts[2].count == 2, let d = Int(parts[2]), (1...31).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today's date in UTC.
    public static func today(_ now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// The same day `months` months earlier (day clamped to 28 when it would not exist).
    public func subtracting(months: Int) -> Day {
        let total = year * 12 + (month - 1) - months
        let y = total / 12
        let m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, 28))
    }

    /// True for a `YYYY-MM` value whose day is not known.
    public var isMonthOnly: Bool { day == 0 }

    public var description: String {
        isMonthOnly ? String(format: "%04d-%02d", year, month) : String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Day(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a date in the form YYYY-MM-DD (or YYYY-MM when only the month is known)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
