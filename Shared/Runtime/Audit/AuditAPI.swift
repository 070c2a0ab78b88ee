import Foundation
import GRPCCore
import LayarPostgres
import LayarSchema
import SwiftProtobuf

/// `layar.v1.AuditService` in every service: its own audit trail, for administrators.
public struct AuditAPI: Layar_V1_AuditService.SimpleServiceProtocol {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func listAuditEvents(
        request: Layar_V1_ListAuditEventsRequest, context: ServerContext
    ) async throws -> Layar_V1_ListAuditEventsResponse {
        var violations = FieldViolations()
        violations.require((0...1000).contains(request.limit), field: "limit", "Isi 1 sampai 1000 (0: 100)")
        violations.require(request.subject.count <= 100, field: "subject", "Terlalu panjang (maksimal 100 huruf)")
        violations.require(request.actor.count <= 100, field: "actor", "Terlalu panjang (maksimal 100 huruf)")
        try violations.check()
        let since = request.hasSince ? request.since.date : Date(timeIntervalSince1970: 0)
        let rows = try await pool.query(
            """
            SELECT id, at, actor, roles, method, subject, peer, outcome FROM audit_log
            WHERE ($1 = '' OR subject = $1) AND ($2 = '' OR actor = $2) AND at >= $3
            ORDER BY id DESC LIMIT $4
            """,
            [request.subject, request.actor, since, request.limit == 0 ? 100 : Int(request.limit)]
        )
        return try .with { response in
            response.events = try rows.map { row in
                try Layar_V1_AuditEvent.with {
                    $0.id = try row.decode(Int64.self, "id")
                    $0.at = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "at"))
                    $0.actor = try row.decode(String.self, "actor")
                    $0.roles = try row.decode(PostgresTextArray.self, "roles").elements
                    $0.method = try row.decode(String.self, "method")
                    $0.subject = try row.decode(String.self, "subject")
                    $0.peer = try row.decode(String.self, "peer")
                    $0.outcome = try row.decode(String.self, "outcome")
                }
            }
        }
    }
}
