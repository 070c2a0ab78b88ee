import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

@testable import LayarNotification
@testable import LayarSurvey

/// An upgrade carries what was waiting: notification's pending messages and survey's unfinished
/// LAPOR! forwards move into the one delivery queue with their schedule, attempts and leases;
/// what was done or is not sendable stays out.
@Suite("Delivery queue migrations")
struct DeliveryQueueMigrationTests {
    static func migrate(_ migrations: [PostgresMigration], upTo version: Int = .max, _ pool: PostgresPool) async throws {
        try await PostgresMigrator(migrations: migrations.filter { $0.version <= version }, logger: TestEnvironment.logger).migrate(pool)
    }

    static func queued(_ pool: PostgresPool) async throws -> [String: (batch: String, priority: Int, attempts: Int)] {
        var rows: [String: (batch: String, priority: Int, attempts: Int)] = [:]
        for row in try await pool.query("SELECT id::text AS id, batch_key, priority, attempts FROM deliveries") {
            rows[try row.decode(String.self, "id")] = (
                try row.decode(String.self, "batch_key"), try row.decode(Int.self, "priority"), try row.decode(Int.self, "attempts")
            )
        }
        return rows
    }

    @Test("notification: pending SMS and e-mail move with their batch and urgency; sent, waiting and inbox messages do not")
    func notificationMessages() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await Self.migrate(NotificationMigrations.all, upTo: 7, database.pool)
        let referral = ReferralID()
        let (sms, email, sent, waiting, inbox) = (MessageID(), MessageID(), MessageID(), MessageID(), MessageID())
        // (id, audience, channel, status, urgent, next attempt)
        let rows: [(MessageID, Int, Int, Int, Bool, Bool)] = [
            (sms, 1, 1, 1, false, true), (email, 1, 3, 1, true, true), (sent, 1, 1, 2, false, true),
            (waiting, 1, 0, 1, false, false), (inbox, 2, 4, 2, false, false),
        ]
        for (id, audience, channel, status, urgent, scheduled) in rows {
            try await database.pool.query(
                """
                INSERT INTO messages (id, referral_id, event_id, event_type, audience, channel, body, status, created_at,
                    urgent, next_attempt_at, attempts)
                VALUES ($1, $2, $3, 'layar.referral.submitted.v1', $4, $5, 'isi', $6, now(), $7,
                    CASE WHEN $8 THEN now() END, 2)
                """,
                [id, referral, "e-\(id)", audience, channel, status, urgent, scheduled]
            )
        }
        try await Self.migrate(NotificationMigrations.all, database.pool)
        let queued = try await Self.queued(database.pool)
        #expect(Set(queued.keys) == [sms.description, email.description])
        #expect(queued[sms.description]?.batch == "\(referral) 1" && queued[sms.description]?.priority == 0)
        #expect(queued[email.description]?.batch == "" && queued[email.description]?.priority == 1)
        #expect(queued[sms.description]?.attempts == 2)
        try await database.drop()
    }

    @Test("survey: an unfinished forward moves; a finished one does not")
    func laporForwards() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await Self.migrate(SurveyMigrations.all, upTo: 8, database.pool)
        let (open, done) = (ComplaintID(), ComplaintID())
        for (index, id) in [open, done].enumerated() {
            try await database.pool.query(
                """
                INSERT INTO complaints (id, reference, category, channel, priority, status, description, anonymous, filed_at,
                    forwarding_due, follow_up_due)
                VALUES ($1, $2, 1, 1, 1, 1, '\\x00', true, now(), now(), now())
                """, [id, "ADU-\(index)"]
            )
            try await database.pool.query(
                """
                INSERT INTO lapor_forwards (complaint_id, payload, attempts, next_attempt_at, done_at)
                VALUES ($1, '\\x00', 3, now(), CASE WHEN $2 THEN now() END)
                """, [id, id == done]
            )
        }
        try await Self.migrate(SurveyMigrations.all, database.pool)
        let queued = try await Self.queued(database.pool)
        #expect(Set(queued.keys) == [open.description] && queued[open.description]?.attempts == 3)
        try await database.drop()
    }
}
