import Foundation
import LayarDomain
import LayarJobs
import Logging
import ServiceLifecycle

/// Anonymises one kind of personal data once its retention period has passed, every
/// `interval`: `sweep` is given the current time (from the service's clock) and answers how many records it anonymised.
/// A failed round is logged and tried again at the next.
public struct RetentionJob: Service {
    let name: String
    let interval: Duration
    let clock: LayarClock
    let logger: Logger
    let sweep: @Sendable (Date) async throws -> Int

    public init(
        _ name: String, every interval: Duration, clock: LayarClock, logger: Logger, sweep: @escaping @Sendable (Date) async throws -> Int
    ) {
        self.name = name
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.sweep = sweep
    }

    public func run() async throws {
        try await RecurringJob("retention of \(name)", .every(interval), logger: logger) {
            let anonymised = try await sweep(clock.now)
            if anonymised > 0 { logger.info("retention of \(name): \(anonymised) record(s) anonymised") }
            return false
        }.run()
    }
}
