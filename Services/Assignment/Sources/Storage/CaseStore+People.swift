import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

extension CaseStore {
    /// Keeps what an offer may have to carry about the person (from `ReferralSubmitted`): the NIK
    /// only reaches institutions that must identify the person.
    func recordPerson(_ submitted: Layar_V1_ReferralSubmitted, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO referral_people (referral_id, nik, sex, birth_date, desa_code, is_child, needs, estimated_age)
            VALUES ($1::uuid, $2, $3, $4::date, $5, $6, $7::integer[], $8) ON CONFLICT (referral_id) DO NOTHING
            """,
            [
                submitted.referralID, cipher.seal(submitted.nik, .personNIK), submitted.sex.rawValue,
                submitted.identityUnknown ? nil : CivilDate(submitted.birthDate).description,
                submitted.desaCode, submitted.isChild, PostgresTextArray(enumValues: submitted.needs),
                submitted.identityUnknown ? Int(submitted.estimatedAge) : nil,
            ]
        )
    }
}
