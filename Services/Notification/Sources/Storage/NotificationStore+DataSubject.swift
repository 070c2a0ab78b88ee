import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Notification's part of data-subject requests: the applicant's contact and every message about
/// the referrals. A correction changes the contact (and the address of messages not yet sent);
/// anonymising removes every address and keeps the messages' record without them.
extension NotificationStore: PersonalDataHolder {
    struct ExportedContact: Encodable, Sendable {
        var referralID: String
        var phone: String
        var email: String
        var preferredChannel: String
        var messages: [JSONValue]
    }

    func export(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> (records: Int, data: any Encodable & Sendable) {
        var exported: [ExportedContact] = []
        for referralID in request.referralIds {
            let applicant = try await applicant(referralID, on: connection)
            let messages = try await connection.query(
                "SELECT * FROM messages WHERE referral_id = $1::uuid ORDER BY created_at, id", [referralID]
            ).map { try JSONValue(try message($0)) }
            guard applicant.contact != nil || !messages.isEmpty else { continue }
            exported.append(ExportedContact(
                referralID: referralID, phone: applicant.contact?.phone ?? "", email: applicant.contact?.email ?? "",
                preferredChannel: "\(applicant.contact?.preferred ?? .unspecified)", messages: messages
            ))
        }
        return (exported.count, exported)
    }

    func correct(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int {
        let correction = request.correction
        guard !correction.phone.isEmpty || !correction.email.isEmpty else { return 0 }
        var records = 0
        for referralID in request.referralIds {
            if !correction.phone.isEmpty {
                records += try await connection.query(
                    "UPDATE applicants SET phone = $2 WHERE referral_id = $1::uuid", [referralID, cipher.seal(correction.phone, .applicantPhone)]
                ).affectedRows
                try await readdressPending(referralID, channels: [.sms, .whatsapp], to: correction.phone, on: connection)
            }
            if !correction.email.isEmpty {
                records += try await connection.query(
                    "UPDATE applicants SET email = $2 WHERE referral_id = $1::uuid", [referralID, cipher.seal(correction.email, .applicantEmail)]
                ).affectedRows
                try await readdressPending(referralID, channels: [.email], to: correction.email, on: connection)
            }
        }
        return records
    }

    /// Messages still waiting go to the corrected address.
    private func readdressPending(
        _ referralID: String, channels: [Layar_V1_DeliveryChannel], to address: String, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE messages SET recipient_sealed = $3
            WHERE referral_id = $1::uuid AND channel = ANY ($2::integer[]) AND status = $4
            """,
            [
                referralID, PostgresTextArray(enumValues: channels), cipher.seal(address, .messageRecipient),
                Layar_V1_DeliveryStatus.pending.rawValue,
            ]
        )
    }

    func anonymise(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int {
        let ids = PostgresTextArray(request.referralIds)
        let applicants = try await connection.query(
            "UPDATE applicants SET phone = NULL, email = NULL WHERE referral_id = ANY ($1::uuid[])", [ids]
        ).affectedRows
        // Nothing unsent goes out any more; what was sent stays on record without its address.
        try await connection.query(
            """
            UPDATE messages SET recipient_sealed = NULL,
                status = CASE WHEN status = $2 THEN $3 ELSE status END
            WHERE referral_id = ANY ($1::uuid[]) AND channel <> 4
            """,
            [ids, Layar_V1_DeliveryStatus.pending.rawValue, Layar_V1_DeliveryStatus.suppressed.rawValue]
        )
        return applicants
    }

    /// Forgets where finished messages (sent, failed, suppressed) created before `cutoff` went.
    func forgetAddresses(before cutoff: Date) async throws -> Int {
        try await pool.query(
            """
            UPDATE messages SET recipient_sealed = NULL
            WHERE recipient_sealed IS NOT NULL AND status <> $2 AND created_at < $1
            """, [cutoff, Layar_V1_DeliveryStatus.pending.rawValue]
        ).affectedRows
    }
}

