import Foundation

/// Working days in Balangan (WITA): Monday to Friday except configured holidays. Service-level
/// deadlines (complaints: 3 and 5 working days) count whole working days after the day of filing
/// and end at midnight WITA after the last one.
public struct WorkingCalendar: Sendable {
    public var holidays: Set<CivilDate>

    public init(holidays: Set<CivilDate> = []) {
        self.holidays = holidays
    }

    /// Parses `2026-12-25,2027-01-01`; nil when an entry is not a valid date.
    public init?(holidayList: String) {
        var holidays: Set<CivilDate> = []
        for entry in holidayList.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            let date = CivilDate(year: parts[0], month: parts[1], day: parts[2])
            guard date.isValid else { return nil }
            holidays.insert(date)
        }
        self.holidays = holidays
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let weekday = date.weekday
        return weekday != 6 && weekday != 7 && !holidays.contains(date)
    }

    /// The end (midnight WITA) of the `workingDays`-th working day after the day of `instant`.
    public func deadline(workingDays: Int, after instant: Date) -> Date {
        var day = CivilDate.inBalangan(at: instant)
        var counted = 0
        while counted < workingDays {
            day = day.adding(days: 1)
            if isWorkingDay(day) { counted += 1 }
        }
        return day.adding(days: 1).startInBalangan
    }
}

extension CivilDate {
    /// Days since 1970-01-01.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    /// ISO weekday: 1 Monday ... 7 Sunday.
    public var weekday: Int {
        ((dayNumber % 7) + 7 + 3) % 7 + 1
    }

    public func adding(days: Int) -> CivilDate {
        CivilDate.inBalangan(at: Date(timeIntervalSince1970: Double((dayNumber + days) * 86_400)))
    }

    /// Midnight at the start of this day in WITA.
    public var startInBalangan: Date {
        Date(timeIntervalSince1970: Double(dayNumber * 86_400 - CivilDate.balanganOffsetSeconds))
    }
}
