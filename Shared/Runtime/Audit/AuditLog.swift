import Foundation
import LayarPostgres

/// Writes one entry of the service's append-only `audit_log`: the gRPC calls (through
/// ``AuditServerInterceptor``) and the work done for a data-subject request arriving as an event.
public enum AuditLog {
    public static func record(
        actor: String, roles: [String] = [], method: String, subject: String, peer: String, outcome: String,
        at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit_log (at, actor, roles, method, subject, peer, outcome)
            VALUES ($1, $2, $3::text[], $4, $5, $6, $7)
            """,
            [time, actor, PostgresTextArray(roles.sorted()), method, subject, peer, outcome]
        )
    }
}
