import Foundation
import LayarJobs
import LayarRuntime
import Logging
import ServiceLifecycle

/// Checks the case deadlines every `interval` (escalations and offer expiry are idempotent
/// and per case, so several replicas may sweep at once).
struct DeadlineSweeper: Service {
    let store: CaseStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await RecurringJob("deadline sweep", .every(interval), logger: logger) {
            let result = try await store.sweepDeadlines(now: store.clock.now)
            if result.total > 0 {
                logger.info(
                    "deadlines: \(result.assignmentEscalations) assignment and \(result.assessmentEscalations) assessment escalations, \(result.expiredOffers) offers expired"
                )
            }
            return false
        }.run()
    }
}
