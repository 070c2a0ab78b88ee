import Logging
import ServiceLifecycle

/// Work a service does in rounds until it stops (the one loop every sweeper, refresher, sampler
/// and sender shares): run a round, wait as its ``Schedule`` says, again; a failed round is
/// logged and retried after ``Schedule/afterFailure``; graceful shutdown ends the wait and the
/// loop. A round answers whether it found work: a queue drainer goes again at once while it does.
///
/// A queue drainer given a ``Wakeup`` (signalled when rows are added to its table, see
/// ``TableWakeups``) does not poll: after a round without work it waits for the wake-up, or for
/// the time its round said the next item falls due (``Outcome/idle(until:)``), and at most
/// ``wokenIdleLimit`` as a safety net (``Schedule/idle`` is then not a poll any more).
public struct RecurringJob: Service {
    /// What a round found.
    public enum Outcome: Sendable, Equatable {
        /// Work: another round at once.
        case busy
        /// Nothing to do; the next item falls due after `until` at the latest (nil: not known).
        case idle(until: Duration?)
    }

    public struct Schedule: Sendable {
        /// The wait after a round that found nothing to do (a periodic job's interval).
        public var idle: Duration
        /// The wait after a failed round.
        public var afterFailure: Duration
        /// Wait before the first round (the service's start already did its work once).
        public var waitFirst = false

        /// A round every `interval` (also after a failure).
        public static func every(_ interval: Duration, waitFirst: Bool = false) -> Schedule {
            Schedule(idle: interval, afterFailure: interval, waitFirst: waitFirst)
        }

        /// Rounds back to back while there is work, `idle` apart when there is none.
        public static func draining(idle: Duration, afterFailure: Duration) -> Schedule {
            Schedule(idle: idle, afterFailure: afterFailure)
        }
    }

    let name: String
    let schedule: Schedule
    let wakeup: Wakeup?
    let logger: Logger
    let round: @Sendable () async throws -> Outcome

    /// The longest idle wait of a loop with a wake-up.
    public static let wokenIdleLimit = Duration.seconds(60)

    /// `round` answers what it found; `wakeup` ends an idle wait early.
    public init(
        _ name: String, _ schedule: Schedule, wakeup: Wakeup? = nil, logger: Logger, round: @escaping @Sendable () async throws -> Outcome
    ) {
        self.name = name
        self.schedule = schedule
        self.wakeup = wakeup
        self.logger = logger
        self.round = round
    }

    /// `round` answers true when it did work and another round should follow at once.
    public init(
        _ name: String, _ schedule: Schedule, wakeup: Wakeup? = nil, logger: Logger, round: @escaping @Sendable () async throws -> Bool
    ) {
        self.init(name, schedule, wakeup: wakeup, logger: logger) { try await round() ? .busy : .idle(until: nil) }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            if schedule.waitFirst { try? await Task.sleep(for: schedule.idle) }
            while !Task.isCancelled {
                let pause: Duration
                do {
                    let idle = wakeup == nil ? schedule.idle : Self.wokenIdleLimit
                    switch try await round() {
                    case .busy: pause = .zero
                    case .idle(let until): pause = min(until ?? idle, idle)
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("\(name): round failed, next in \(schedule.afterFailure): \(error)")
                    pause = schedule.afterFailure
                }
                if let wakeup {
                    await wakeup.wait(upTo: pause)
                } else if pause > .zero {
                    try? await Task.sleep(for: pause)
                }
            }
        }
    }
}
