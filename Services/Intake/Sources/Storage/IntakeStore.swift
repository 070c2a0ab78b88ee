import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with intake's SQL: storing referrals (with their events, in one transaction)
/// and keeping their status.
public struct IntakeStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    public init(pool: PostgresPool, outbox: Outbox = Outbox()) {
        self.pool = pool
        self.outbox = outbox
    }

    /// Stores a validated form and queues `ReferralSubmitted` and `ApplicantContactRecorded`.
    public func submit(_ form: Layar_V1_ReferralForm, now: Date = Date()) async throws -> (id: UUID, trackingCode: String) {
        let id = UUID()
        let formBytes: [UInt8] = try form.serializedBytes()
        let purposes = form.consent.purposes.isEmpty ? ["verifikasi", "rujukan", "pemberitahuan"] : form.consent.purposes
        let birth = form.person.birthDate
        let birthDate = String(format: "%04d-%02d-%02d", birth.year, birth.month, birth.day)
        let urgency = form.urgency == .unspecified ? Layar_V1_Urgency.normal : form.urgency
        return try await pool.withTransaction { connection in
            var code = TrackingCode.generate()
            while try await connection.query(
                """
                INSERT INTO referrals (id, tracking_code, nik, full_name, birth_date, kecamatan_code, desa_code,
                    ppks_kind, urgency, channel, form, consent_given_by, consent_purposes, consented_at,
                    status, status_progress, submitted_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $14, $14)
                ON CONFLICT (tracking_code) DO NOTHING
                """,
                [
                    id, code, form.person.nik, form.person.fullName, birthDate, form.person.address.kecamatanCode,
                    form.person.address.desaCode, form.ppksKind, urgency.rawValue, form.channel.rawValue, formBytes,
                    form.consent.givenBy, PostgresTextArray(purposes), now,
                    Layar_V1_ReferralStatus.submitted.rawValue, Layar_V1_ReferralStatus.submitted.progress,
                ]
            ).affectedRows == 0 {
                code = TrackingCode.generate()  // A taken code: draw another.
            }
            try await outbox.append(Layar_V1_ReferralSubmitted.with {
                $0.referralID = id.uuidString.lowercased()
                $0.trackingCode = code
                $0.nik = form.person.nik
                $0.birthDate = birth
                $0.sex = form.person.sex
                $0.kecamatanCode = form.person.address.kecamatanCode
                $0.desaCode = form.person.address.desaCode
                $0.ppksKind = form.ppksKind
                $0.urgency = urgency
                $0.channel = form.channel
                $0.submittedAt = Google_Protobuf_Timestamp(date: now)
            }, on: connection, at: now)
            try await outbox.append(Layar_V1_ApplicantContactRecorded.with {
                $0.referralID = id.uuidString.lowercased()
                $0.trackingCode = code
                $0.phone = form.applicant.phone.isEmpty ? form.person.phone : form.applicant.phone
                $0.email = form.applicant.email
                $0.preferredChannel = form.applicant.preferredChannel
            }, on: connection, at: now)
            return (id, code)
        }
    }

    public enum Key: Sendable {
        case trackingCode(String)
        case id(UUID)
    }

    public func summary(_ key: Key) async throws -> Layar_V1_ReferralSummary? {
        let rows: PostgresRows
        switch key {
        case .trackingCode(let code):
            rows = try await pool.query(
                """
                SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                FROM referrals WHERE tracking_code = $1
                """, [code])
        case .id(let id):
            rows = try await pool.query(
                """
                SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                FROM referrals WHERE id = $1
                """, [id])
        }
        return try rows.first.map { row in
            try Layar_V1_ReferralSummary.with {
                $0.referralID = try row.decode(String.self, "id")
                $0.trackingCode = try row.decode(String.self, "tracking_code")
                $0.status = Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
                $0.statusNote = try row.decode(String.self, "status_note")
                $0.ppksKind = try row.decode(String.self, "ppks_kind")
                $0.caseWorkerName = try row.decode(String.self, "case_worker_name")
                $0.submittedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "submitted_at"))
                $0.updatedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "updated_at"))
            }
        }
    }

    /// Moves a referral forward to `status`; an older or equal status is ignored (see `progress`).
    /// An empty `note` or `caseWorkerName` keeps the current value.
    func advance(
        _ referralID: String, to status: Layar_V1_ReferralStatus, note: String = "", caseWorkerName: String = "",
        at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE referrals SET status = $2, status_progress = $3, updated_at = $4,
                status_note = CASE WHEN $5 = '' THEN status_note ELSE $5 END,
                case_worker_name = CASE WHEN $6 = '' THEN case_worker_name ELSE $6 END
            WHERE id = $1::uuid AND status_progress < $3
            """,
            [referralID, status.rawValue, status.progress, time, note, caseWorkerName]
        )
    }
}
