import Foundation
import LayarPostgres
import LayarSchema
import SwiftProtobuf

/// The only place with notification's SQL.
struct NotificationStore: Sendable {
    let pool: PostgresPool

    struct Applicant {
        var trackingCode: String?
        var channel: Layar_V1_ContactChannel?
    }

    /// Records the applicant's contact details (and the tracking code, from whichever event has it first).
    func saveContact(_ contact: Layar_V1_ApplicantContactRecorded, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO applicants (referral_id, tracking_code, phone, email, preferred_channel)
            VALUES ($1::uuid, $2, $3, $4, $5)
            ON CONFLICT (referral_id) DO UPDATE SET tracking_code = EXCLUDED.tracking_code, phone = EXCLUDED.phone,
                email = EXCLUDED.email, preferred_channel = EXCLUDED.preferred_channel
            """,
            [contact.referralID, contact.trackingCode, contact.phone, contact.email, contact.preferredChannel.rawValue]
        )
    }

    func saveTrackingCode(_ code: String, referralID: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO applicants (referral_id, tracking_code) VALUES ($1::uuid, $2)
            ON CONFLICT (referral_id) DO UPDATE SET tracking_code = EXCLUDED.tracking_code
            """, [referralID, code])
    }

    func applicant(_ referralID: String, on connection: PostgresConnection) async throws -> Applicant {
        let row = try await connection.query(
            "SELECT tracking_code, preferred_channel FROM applicants WHERE referral_id = $1::uuid", [referralID]
        ).first
        let code = try row?.decode(String.self, "tracking_code")
        let channel = try row?.decode(Int?.self, "preferred_channel").flatMap(Layar_V1_ContactChannel.init(rawValue:))
        return Applicant(trackingCode: code?.isEmpty == false ? code : nil, channel: channel)
    }

    /// Records one message; a redelivered event finds its message already there and adds nothing.
    func record(
        referralID: String, eventID: String, eventType: String, audience: Layar_V1_Audience,
        channel: Layar_V1_ContactChannel, body: String, status: Layar_V1_DeliveryStatus, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO messages (id, referral_id, event_id, event_type, audience, channel, body, status, created_at)
            VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id, audience, channel) DO NOTHING
            """,
            [UUID(), referralID, eventID, eventType, audience.rawValue, channel.rawValue, body, status.rawValue, time]
        )
    }

    func messages(for referralID: UUID) async throws -> [Layar_V1_NotificationMessage] {
        try await pool.query(
            """
            SELECT id, referral_id, event_id, event_type, audience, channel, body, status, created_at
            FROM messages WHERE referral_id = $1 ORDER BY created_at, id
            """, [referralID]
        ).map { row in
            try Layar_V1_NotificationMessage.with {
                $0.id = try row.decode(String.self, "id")
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.eventID = try row.decode(String.self, "event_id")
                $0.eventType = try row.decode(String.self, "event_type")
                $0.audience = Layar_V1_Audience(rawValue: try row.decode(Int.self, "audience")) ?? .unspecified
                $0.channel = Layar_V1_ContactChannel(rawValue: try row.decode(Int.self, "channel")) ?? .unspecified
                $0.body = try row.decode(String.self, "body")
                $0.status = Layar_V1_DeliveryStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
                $0.createdAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "created_at"))
            }
        }
    }
}
