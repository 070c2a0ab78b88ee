import Foundation
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

/// The audit log belongs to a role the service cannot act as (deploy/postgres/init-roles.sh):
/// the service role, connected as a service connects, appends and reads, and every way of
/// rewriting the log or silencing its triggers is refused by PostgreSQL itself.
@Suite("Audit log owner")
struct AuditLogOwnerTests {
    /// The verification service's own role in the test database, provisioned as production is.
    static let service = "verification"

    @Test("the service role may only INSERT and SELECT its audit log: DROP, ALTER, DISABLE TRIGGER and the rest are refused")
    func serviceRoleCannotRewriteTheLog() async throws {
        let pool = PostgresPool(
            configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL(Self.service)), logger: TestEnvironment.logger
        )
        // The service's migration creates the log (or already did); the database hands it over.
        try await PostgresMigrator(migrations: [RuntimeMigrations.auditLog], logger: TestEnvironment.logger).migrate(pool)
        let owner = try #require(try await pool.query(
            "SELECT tableowner::text AS owner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_log'"
        ).first).decode(String.self, "owner")
        #expect(owner == "\(Self.service)_audit")

        let marker = "abuse-\(UUID().uuidString.lowercased())"
        try await pool.query(
            """
            INSERT INTO audit_log (at, actor, roles, method, subject, peer, outcome)
            VALUES (now(), $1, '{}', 'AuditLogOwnerTests', '', '', 'ok')
            """, [marker]
        )
        let before = try await Self.rows(pool)

        let attacks: [(String, StaticString)] = [
            ("drop the table", "DROP TABLE audit_log"),
            ("disable its triggers", "ALTER TABLE audit_log DISABLE TRIGGER USER"),
            ("disable one trigger", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"),
            ("drop a trigger", "DROP TRIGGER audit_log_no_change ON audit_log"),
            ("rename it away", "ALTER TABLE audit_log RENAME TO audit_log_old"),
            ("take it over", "ALTER TABLE audit_log OWNER TO verification"),
            ("add a column", "ALTER TABLE audit_log ADD COLUMN hidden text"),
            ("truncate it", "TRUNCATE audit_log"),
            ("delete an entry", "DELETE FROM audit_log WHERE actor LIKE 'abuse-%'"),
            ("rewrite an entry", "UPDATE audit_log SET outcome = 'rewritten' WHERE actor LIKE 'abuse-%'"),
            ("replace the trigger function",
             "CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"),
            ("drop the trigger function", "DROP FUNCTION audit_log_is_append_only() CASCADE"),
            ("drop the schema", "DROP SCHEMA verification CASCADE"),
            ("skip triggers for the session", "SET session_replication_role = replica"),
        ]
        for (attack, sql) in attacks {
            let refusal = await #expect(throws: PostgresError.self, "\(attack) must be refused") { try await pool.query(sql) }
            // 42501 insufficient_privilege: "must be owner" or "permission denied" (the
            // append-only trigger answers UPDATE and DELETE with the same code).
            #expect(refusal?.sqlState == "42501", "\(attack): \(refusal.map(String.init(describing:)) ?? "accepted")")
        }
        #expect(try await Self.rows(pool) == before, "the log is as it was")
        let mine = try await pool.query("SELECT outcome FROM audit_log WHERE actor = $1", [marker])
        #expect(try mine.map { try $0.decode(String.self, "outcome") } == ["ok"])
        await pool.close()
    }

    static func rows(_ pool: PostgresPool) async throws -> Int {
        try #require(try await pool.query("SELECT count(*) AS n FROM audit_log").first).decode(Int.self, "n")
    }
}
