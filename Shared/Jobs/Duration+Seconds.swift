import Foundation

extension Duration {
    /// The duration in seconds, for `Date` arithmetic and rates.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The wait from `now` until `date` (zero when it has passed), to the millisecond: how long a
    /// loop may sleep before its next item falls due.
    public static func until(_ date: Date, from now: Date) -> Duration {
        .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    /// The whole duration in nanoseconds (saturating), for dispatch times.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ attoseconds / 1_000_000_000
    }
}
