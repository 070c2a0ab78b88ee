import LayarDomain

extension EnvironmentReader {
    /// `LAYAR_HOLIDAYS`: the non-working days of the office, `2026-12-25,2027-01-01`, for every
    /// deadline counted in working days.
    public mutating func workingCalendar() -> WorkingCalendar {
        let holidays = optional("LAYAR_HOLIDAYS", default: "")
        guard let calendar = WorkingCalendar(holidayList: holidays) else {
            problems.append("LAYAR_HOLIDAYS=\(holidays) is invalid: expected dates like 2026-12-25,2027-01-01")
            return WorkingCalendar()
        }
        return calendar
    }
}
