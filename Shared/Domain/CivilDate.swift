import Foundation

/// A calendar date without time (birth dates, deadlines), compared and aged in Balangan's own
/// time zone: WITA, UTC+8 (Kalimantan Selatan).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// WITA has no daylight saving: a fixed offset is exact.
    public static let balanganOffsetSeconds = 8 * 3600

    /// The date in Balangan at `instant`.
    public static func inBalangan(at instant: Date) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: balanganOffsetSeconds)!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Whether the date exists in the Gregorian calendar (years 1900...2200).
    public var isValid: Bool {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Whole years from `self` (a birth date) to `date`.
    public func age(on date: CivilDate) -> Int {
        let hadBirthday = (date.month, date.day) >= (month, day)
        return date.year - year - (hadBirthday ? 0 : 1)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Reads ISO 8601 `YYYY-MM-DD` (what an HTML date input sends); `nil` when malformed or not a
    /// real date.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
        guard isValid else { return nil }
    }

    /// ISO 8601, `1958-03-12`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}
