import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The applicants' answers to requests for information, received by notification.
extension VerificationStore {
    /// Keeps an answer for the verifier's case (once per event). An answer for a referral
    /// verification never saw, or one erased since, is dropped: there is no case to show it in.
    func recordReply(_ replied: Layar_V1_ApplicantReplied, eventID: String, on connection: PostgresConnection) async throws {
        guard try await connection.query("SELECT 1 AS known FROM subjects WHERE referral_id = $1::uuid", [replied.referralID]).first != nil
        else { return }
        try await connection.query(
            """
            INSERT INTO applicant_replies (referral_id, event_id, text, channel, received_at) VALUES ($1::uuid, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING
            """,
            [
                replied.referralID, eventID, cipher.seal(String(replied.text.prefix(1_000)), .applicantReply), replied.channel.rawValue,
                replied.receivedAt.date,
            ]
        )
    }

    func applicantReplies(_ referralID: String, on connection: PostgresConnection) async throws -> [Layar_V1_ApplicantReply] {
        try await connection.query(
            "SELECT text, channel, received_at FROM applicant_replies WHERE referral_id = $1::uuid ORDER BY received_at, event_id",
            [referralID]
        ).map { row in
            try Layar_V1_ApplicantReply.with {
                $0.text = try cipher.openString(try row.decode([UInt8].self, "text"), .applicantReply)
                $0.channel = Layar_V1_DeliveryChannel(rawValue: try row.decode(Int.self, "channel")) ?? .unspecified
                $0.receivedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "received_at"))
            }
        }
    }
}
