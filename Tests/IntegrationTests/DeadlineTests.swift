import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// Timeouts against the real intake service: a client's deadline stops the database work it
/// started (nothing keeps waiting for a caller that is gone), the database's statement timeout
/// bounds a call without a deadline, and the service recovers once the database does.
@Suite("Deadlines and statement timeouts", .serialized)
struct DeadlineTests {
    @Test("a deadline cancels the call's database work; a statement timeout answers UNAVAILABLE; the service recovers")
    func deadlinesReachTheDatabase() async throws {
        try await StackLock.exclusively { try await deadlinesAlone() }
    }

    private func deadlinesAlone() async throws {
        let services = try ServiceProcesses(environment: ["LAYAR_DB_STATEMENT_TIMEOUT_MS": "5000"])
        let locker = try await PostgresConnection.connect(.init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")))
        // Outside the locker's transaction: inside one, pg_stat_activity answers from a snapshot
        // taken at its first read and never changes.
        let observer = try await PostgresConnection.connect(.init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")))
        do {
            try await services.waitUntilServing()
            try await #require(services.addresses["intake"]).withStaffClient { connection in
                let intake = Layar_V1_IntakeService.Client(wrapping: connection)
                let submitted = try await intake.submitReferral(.with { $0.form = SampleReferral.uniqueForm() })
                let lookup = Layar_V1_GetReferralRequest.with { $0.trackingCode = submitted.trackingCode }

                // Another session holds the table: the service's SELECT waits on the lock.
                try await locker.query("BEGIN")
                try await locker.query("LOCK TABLE referrals IN ACCESS EXCLUSIVE MODE")

                var options = CallOptions.defaults
                options.timeout = .milliseconds(300)
                let started = ContinuousClock.now
                let expired = await #expect(throws: RPCError.self) { try await intake.getReferral(lookup, options: options) }
                #expect(expired?.code == .deadlineExceeded)
                // Well before the 5 s statement timeout, nothing of the call is left waiting.
                var waiting = try await Self.serviceStatementsWaitingOnLocks(observer)
                while waiting > 0, ContinuousClock.now - started < .milliseconds(2500) {
                    try await Task.sleep(for: .milliseconds(50))
                    waiting = try await Self.serviceStatementsWaitingOnLocks(observer)
                }
                #expect(waiting == 0, "the expired call's statement was cancelled on the server")
                #expect(ContinuousClock.now - started < .milliseconds(2500))

                // Without a deadline the statement timeout ends the wait, with a status to retry on;
                // meanwhile the statement is seen waiting (what the check above counts).
                let unbounded = ContinuousClock.now
                func lookUp() async -> Result<Layar_V1_ReferralSummary, any Error> {
                    do { return .success(try await intake.getReferral(lookup)) } catch { return .failure(error) }
                }
                async let outcome = lookUp()
                var seen = 0
                while seen == 0, ContinuousClock.now - unbounded < .seconds(4) {
                    try await Task.sleep(for: .milliseconds(50))
                    seen = try await Self.serviceStatementsWaitingOnLocks(observer)
                }
                #expect(seen == 1, "the call's statement waits on the lock")
                let ended = await outcome
                let timedOut = await #expect(throws: RPCError.self) { try ended.get() }
                #expect(timedOut?.code == .unavailable, "\(String(describing: timedOut))")
                let waited = ContinuousClock.now - unbounded
                #expect(waited >= .milliseconds(4900) && waited < .seconds(10), "waited \(waited)")

                try await locker.query("ROLLBACK")
                let found = try await intake.getReferral(lookup)
                #expect(found.trackingCode == submitted.trackingCode)
            }
            try services.checkRunning()
        } catch {
            await locker.close()
            await observer.close()
            _ = await services.stop()
            throw error
        }
        await locker.close()
        await observer.close()
        _ = await services.stop()
    }

    /// The call's statement (the staff summary's SELECT) waiting for the lock right now. Only that
    /// one: intake's event consumer may be waiting on the same lock to project a status, rightly.
    static func serviceStatementsWaitingOnLocks(_ connection: PostgresConnection) async throws -> Int {
        try #require(try await connection.query(
            """
            SELECT count(*) AS n FROM pg_stat_activity
            WHERE application_name = 'layar-intake' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
              AND query LIKE '%SELECT id, tracking_code, status, status_note%'
            """
        ).first).decode(Int.self, "n")
    }
}
