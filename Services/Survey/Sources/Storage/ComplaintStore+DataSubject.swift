import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Survey's part of data-subject requests: complaints filed with the referrals' tracking codes
/// (with the complainant's contact when they gave one) and the survey invitations. Survey answers
/// are anonymous by design (SKM) and hold nothing about the person. Anonymising keeps the
/// complaint's course (the monitoring ratio counts it) and removes what was written and who wrote it.
extension ComplaintStore: PersonalDataHolder {
    struct ExportedPart: Encodable, Sendable {
        var complaints: [ExportedComplaint]
        var invitations: [ExportedInvitation]
    }

    struct ExportedComplaint: Encodable, Sendable {
        var complaint: JSONValue
        var complainantName: String?
        var complainantPhone: String?
    }

    struct ExportedInvitation: Encodable, Sendable {
        var referralID: String
        var code: String
        var createdAt: Date
        var answeredAt: Date?
    }

    func export(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> (records: Int, data: any Encodable & Sendable) {
        let complaints = try await connection.query(
            """
            SELECT v.*, cc.name AS contact_name, cc.phone AS contact_phone FROM complaint_views v
            LEFT JOIN complainant_contacts cc ON cc.complaint_id = v.id
            WHERE v.tracking_code = ANY ($1::text[]) AND v.tracking_code <> '' ORDER BY v.filed_at, v.id
            """, [PostgresTextArray(request.trackingCodes)]
        ).map { row in
            ExportedComplaint(
                complaint: try JSONValue(try complaint(row, now: clock.now)),
                complainantName: try row.decode([UInt8]?.self, "contact_name").map { try cipher.openString($0, .complainantName) },
                complainantPhone: try row.decode([UInt8]?.self, "contact_phone").map { try cipher.openString($0, .complainantPhone) }
            )
        }
        let invitations = try await connection.query(
            "SELECT referral_id, code, created_at, answered_at FROM invitations WHERE referral_id = ANY ($1::uuid[]) ORDER BY created_at",
            [PostgresTextArray(request.referralIds)]
        ).map { row in
            ExportedInvitation(
                referralID: try row.decode(String.self, "referral_id"), code: try row.decode(String.self, "code"),
                createdAt: try row.decode(Date.self, "created_at"), answeredAt: try row.decode(Date?.self, "answered_at")
            )
        }
        return (complaints.count + invitations.count, ExportedPart(complaints: complaints, invitations: invitations))
    }

    func anonymise(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int {
        let ids = try await connection.query(
            "SELECT id FROM complaints WHERE tracking_code = ANY ($1::text[]) AND tracking_code <> '' FOR UPDATE",
            [PostgresTextArray(request.trackingCodes)]
        ).map { try $0.decode(ComplaintID.self, "id") }
        guard !ids.isEmpty else { return 0 }
        let list = PostgresTextArray(ids.map(\.description))
        try await connection.query("DELETE FROM complainant_contacts WHERE complaint_id = ANY ($1::uuid[])", [list])
        try await connection.query(
            "UPDATE complaints SET description = $2, response = '', resolution = '' WHERE id = ANY ($1::uuid[])",
            [list, cipher.seal("", .complaintDescription)]
        )
        try await connection.query("UPDATE complaint_actions SET text = '' WHERE complaint_id = ANY ($1::uuid[])", [list])
        // A report not yet forwarded is not sent any more.
        try await connection.query(
            "UPDATE lapor_forwards SET payload = $2, done_at = coalesce(done_at, $3) WHERE complaint_id = ANY ($1::uuid[])",
            [list, cipher.seal(Array("{}".utf8), .laporReport), clock.now]
        )
        try await deliveries.finish(ids, on: connection)
        return ids.count
    }

    /// Removes the contact of complaints closed before `cutoff`.
    func forgetComplainants(closedBefore cutoff: Date) async throws -> Int {
        try await pool.query(
            """
            DELETE FROM complainant_contacts
            WHERE complaint_id IN (SELECT id FROM complaints WHERE closed_at IS NOT NULL AND closed_at < $1)
            """, [cutoff]
        ).affectedRows
    }
}

