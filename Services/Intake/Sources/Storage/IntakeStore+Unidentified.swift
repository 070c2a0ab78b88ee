import Foundation
import LayarDomain
import LayarPostgres
import LayarSchema

extension IntakeStore {
    /// Earlier referrals of people without papers (within ``DuplicateMatcher/window``, not
    /// withdrawn, not anonymised) that may be the person of `form`: proposals for a verifier,
    /// carried on `ReferralSubmitted`. Only the candidates' names are opened, never their forms.
    func possibleDuplicates(
        of form: Layar_V1_ReferralForm, now: Date, on connection: PostgresConnection
    ) async throws -> [Layar_V1_PossibleDuplicate] {
        let rows = try await connection.query(
            """
            SELECT id, tracking_code, match_name, sex, estimated_age, kecamatan_code, desa_code, submitted_at
            FROM referrals
            WHERE estimated_age IS NOT NULL AND anonymised_at IS NULL AND submitted_at > $1 AND status <> $2
            ORDER BY submitted_at DESC LIMIT 500
            """, [now.addingTimeInterval(-DuplicateMatcher.window), Layar_V1_ReferralStatus.withdrawn.rawValue]
        )
        let earlier = try rows.map { row in
            DuplicateMatcher.Profile(
                referralID: try row.decode(ReferralID.self, "id"), trackingCode: try row.decode(String.self, "tracking_code"),
                name: try row.decode([UInt8]?.self, "match_name").map { try cipher.openString($0, .unidentifiedName) } ?? "",
                sex: Layar_V1_Sex(rawValue: try row.decode(Int?.self, "sex") ?? 0) ?? .unspecified,
                estimatedAge: try row.decode(Int.self, "estimated_age"),
                kecamatanCode: try row.decode(String.self, "kecamatan_code"), desaCode: try row.decode(String.self, "desa_code"),
                submittedAt: try row.decode(Date.self, "submitted_at")
            )
        }
        let new = DuplicateMatcher.Profile(
            referralID: ReferralID(), trackingCode: "", name: form.person.fullName, sex: form.person.sex,
            estimatedAge: Int(form.person.unknownIdentity.estimatedAge), kecamatanCode: form.person.address.kecamatanCode,
            desaCode: form.person.address.desaCode, submittedAt: now
        )
        return DuplicateMatcher.possibleDuplicates(of: new, among: earlier)
    }
}
