import Foundation
import LayarDomain
import LayarJobs
import LayarRuntime
import Logging
import ServiceLifecycle

/// Sends queued complaints to LAPOR!: the queue row was written in the same transaction as the
/// "forward" action (an outbox), each is claimed briefly, sent outside any transaction, and the
/// outcome recorded. Retriable failures back off exponentially as ``retries`` says; a
/// permanent one stops at once; either way staff see the reason on the complaint.
struct LaporForwarder: Service {
    let store: ComplaintStore
    let client: any LaporClient
    let clock: LayarClock
    let logger: Logger
    /// Eight attempts, 2 s doubling up to 10 minutes between them.
    var retries = DeliveryRetries(maximumAttempts: 8, base: .seconds(2), cap: .seconds(600))
    var idleInterval: Duration = .seconds(1)
    /// Ends idle waits when a complaint is queued; nil: poll every `idleInterval`.
    var wakeup: Wakeup?

    /// Forwards while complaints are due; then waits for one to be queued (``wakeup``) or for the
    /// next retry, not a poll.
    func run() async throws {
        try await RecurringJob(
            "LAPOR! forwarding", .draining(idle: idleInterval, afterFailure: .seconds(2)), wakeup: wakeup, logger: logger
        ) {
            if try await forwardOne(now: clock.now) { return .busy }
            return .idle(until: try await store.nextForwardDue(after: clock.now))
        }.run()
    }

    /// Forwards one due complaint; false when none was due.
    func forwardOne(now: Date) async throws -> Bool {
        guard let forward = try await store.claimForward(now: now) else { return false }
        do {
            let report = try JSONDecoder().decode(LaporReport.self, from: Data(forward.payload))
            let laporID = try await client.submit(report)
            try await store.forwarded(forward.complaintID, laporID: laporID, now: now)
            logger.info("complaint \(report.reference) forwarded to LAPOR! as \(laporID)")
        } catch let failure as LaporFailure {
            try await store.forwardFailed(
                forward.complaintID, error: failure.message,
                retryAt: retries.nextAttempt(after: forward.attempts, retriable: failure.isRetriable, now: now), now: now
            )
            logger.warning("LAPOR! forwarding of \(forward.complaintID) failed (attempt \(forward.attempts)): \(failure)")
        }
        return true
    }
}
