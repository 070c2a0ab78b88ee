import Foundation

/// Conversion between `Date` and PostgreSQL's ISO timestamp text (`2026-11-29 01:45:00.123456+00`).
/// Hand-written because it runs for every timestamp column, and formatters are neither cheap nor
/// `Sendable`.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicroseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, microsecondOfDay) = floorDivision(totalMicroseconds, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = microsecondOfDay / 1_000_000
        return String(
            format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", year, month, day,
            seconds / 3600, seconds / 60 % 60, seconds % 60, microsecondOfDay % 1_000_000
        )
    }

    static func parse(_ text: String) -> Date? {
        // yyyy-mm-dd[ T]hh:mm:ss[.ffffff][+|-hh[:mm]]; a bare date is midnight UTC.
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, !range.isEmpty else { return nil }
            var value: Int64 = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        var seconds: Int64 = 0
        var microseconds: Int64 = 0
        var offsetSeconds: Int64 = 0
        if bytes.count > 10 {
            guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else {
                return nil
            }
            seconds = hour * 3600 + minute * 60 + second
            var index = 19
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    if digits < 6 {
                        microseconds = microseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                        digits += 1
                    }
                    index += 1
                }
                while digits < 6 {
                    microseconds *= 10
                    digits += 1
                }
            }
            if index < bytes.count {
                let sign: Int64
                switch bytes[index] {
                case UInt8(ascii: "+"): sign = 1
                case UInt8(ascii: "-"): sign = -1
                case UInt8(ascii: "Z"): sign = 0
                default: return nil
                }
                if sign != 0 {
                    guard let hours = number(index + 1..<index + 3) else { return nil }
                    var minutes: Int64 = 0
                    if index + 3 < bytes.count {
                        let start = bytes[index + 3] == UInt8(ascii: ":") ? index + 4 : index + 3
                        minutes = number(start..<start + 2) ?? 0
                    }
                    offsetSeconds = sign * (hours * 3600 + minutes * 60)
                }
            }
        }
        let days = days(fromYear: year, month: month, day: day)
        let total = (days * 86_400 + seconds - offsetSeconds) * 1_000_000 + microseconds
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil calendar algorithms).
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
