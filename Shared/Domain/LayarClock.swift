import Foundation

/// The one place a process reads the current instant.
///
/// Every component that needs "now" (planning, deadlines, retention, survey expiry, throttles,
/// tokens, the outbox's timestamps) is given a `LayarClock` when it is built: the runtime hands
/// ``system`` to a service's stores, handlers, APIs and jobs, and tests hand the same clock, one
/// they move by hand, to everything they call. So no result depends on the day the code runs, and
/// the process's instants never disagree with each other. PostgreSQL's `now()` is not used for
/// anything the code compares: instants reach SQL as parameters from this clock.
///
/// Elapsed-time measurements (latency metrics, timeouts, start-up retry deadlines) use
/// `ContinuousClock`, which measures durations and never tells the date.
public struct LayarClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that answers `read()`; tests use one they advance by hand.
    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The system's wall clock: the production clock of every process.
    public static let system = LayarClock { Date() }

    /// The current instant.
    public var now: Date { read() }

    /// Today's date in Balangan (WITA).
    public var todayInBalangan: CivilDate { CivilDate.inBalangan(at: now) }
}
