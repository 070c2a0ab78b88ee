import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with survey's SQL.
struct SurveyStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    /// Creates the invitation for a completed case (once per referral) and queues its event.
    func invite(referralID: String, at time: Date, on connection: PostgresConnection) async throws {
        let id = UUID()
        let expires = time.addingTimeInterval(Double(SurveyCode.validity.components.seconds))
        var code = SurveyCode.generate()
        while true {
            let inserted = try await connection.query(
                """
                INSERT INTO invitations (id, referral_id, code, created_at, expires_at)
                SELECT $1, $2::uuid, $3, $4, $5
                WHERE NOT EXISTS (SELECT 1 FROM invitations WHERE referral_id = $2::uuid)
                ON CONFLICT (code) DO NOTHING
                RETURNING id
                """, [id, referralID, code, time, expires])
            if !inserted.isEmpty { break }
            let exists = try await connection.query(
                "SELECT 1 FROM invitations WHERE referral_id = $1::uuid", [referralID]
            )
            if !exists.isEmpty { return }  // Already invited.
            code = SurveyCode.generate()  // A taken code: draw another.
        }
        try await outbox.append(Layar_V1_SurveyInvitationCreated.with {
            $0.referralID = referralID
            $0.invitationID = id.uuidString.lowercased()
            $0.code = code
            $0.expiresAt = Google_Protobuf_Timestamp(date: expires)
        }, on: connection, at: time)
    }

    func invitation(for referralID: UUID, now: Date = Date()) async throws -> Layar_V1_SurveyInvitation? {
        try await pool.query(
            """
            SELECT id, referral_id, code, answered_at, created_at, expires_at
            FROM invitations WHERE referral_id = $1
            """, [referralID]
        ).first.map { row in
            let expires = try row.decode(Date.self, "expires_at")
            let answered = try row.decode(Date?.self, "answered_at")
            return try Layar_V1_SurveyInvitation.with {
                $0.invitationID = try row.decode(String.self, "id")
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.code = try row.decode(String.self, "code")
                $0.status = answered != nil ? .answered : expires < now ? .expired : .open
                $0.createdAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "created_at"))
                $0.expiresAt = Google_Protobuf_Timestamp(date: expires)
            }
        }
    }
}
