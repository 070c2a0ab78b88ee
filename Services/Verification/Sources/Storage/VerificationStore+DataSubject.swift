import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Verification's part of data-subject requests: the referral as it was announced, the checks and
/// the decisions; anonymising keeps the decision record, not who it was about.
extension VerificationStore: PersonalDataHolder {
    struct ExportedSubject: Encodable, Sendable {
        var referral: JSONValue
        var verification: JSONValue
    }

    func export(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> (records: Int, data: any Encodable & Sendable) {
        var exported: [ExportedSubject] = []
        for referralID in request.referralIds {
            guard let row = try await connection.query("SELECT submitted FROM subjects WHERE referral_id = $1::uuid", [referralID]).first,
                  let found = try await verificationCase(referralID, on: connection)
            else { continue }
            exported.append(ExportedSubject(referral: try JSONValue(try openSubmitted(row)), verification: try JSONValue(found)))
        }
        return (exported.count, exported)
    }

    func anonymise(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int {
        var records = 0
        for referralID in request.referralIds {
            guard let row = try await connection.query(
                "SELECT submitted FROM subjects WHERE referral_id = $1::uuid FOR UPDATE", [referralID]
            ).first else { continue }
            let submitted = try openSubmitted(row)
            let kept = Layar_V1_ReferralSubmitted.with {
                $0.referralID = submitted.referralID
                $0.trackingCode = submitted.trackingCode
                $0.kecamatanCode = submitted.kecamatanCode
                $0.ppksKind = submitted.ppksKind
                $0.urgency = submitted.urgency
                $0.channel = submitted.channel
                $0.submittedAt = submitted.submittedAt
                $0.needs = submitted.needs
            }
            try await connection.query(
                """
                UPDATE subjects SET submitted = $2, nik_index = sha256(gen_random_uuid()::text::bytea), proposed_note = ''
                WHERE referral_id = $1::uuid
                """, [referralID, cipher.seal(try kept.serializedBytes() as [UInt8], .submittedReferral)]
            )
            // Verifiers' notes may describe the person: the decisions stay, their words go.
            try await connection.query("UPDATE verifications SET note = '' WHERE referral_id = $1::uuid", [referralID])
            try await connection.query("DELETE FROM applicant_replies WHERE referral_id = $1::uuid", [referralID])
            records += 1
        }
        return records
    }
}
