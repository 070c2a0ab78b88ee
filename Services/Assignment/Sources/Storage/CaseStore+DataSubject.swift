import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Assignment's part of data-subject requests: the case with its assessment, offers and ledger,
/// and what offers may carry about the person. Anonymising keeps the case's course (monitoring
/// counts it) and removes the NIK, the case worker's notes and the free text of answers.
extension CaseStore: PersonalDataHolder {
    struct ExportedCase: Encodable, Sendable {
        var person: ExportedPerson?
        var caseRecord: JSONValue?
    }

    struct ExportedPerson: Encodable, Sendable {
        var nik: String
        var sex: String
        var birthDate: String
        var desaCode: String
        var isChild: Bool
    }

    func export(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> (records: Int, data: any Encodable & Sendable) {
        var exported: [ExportedCase] = []
        for referralID in request.referralIds {
            let person = try await connection.query(
                "SELECT nik, sex, coalesce(birth_date::text, '') AS birth_date, desa_code, is_child FROM referral_people WHERE referral_id = $1::uuid",
                [referralID]
            ).first.map { row in
                ExportedPerson(
                    nik: try cipher.openString(try row.decode([UInt8].self, "nik"), .personNIK),
                    sex: "\(Layar_V1_Sex(rawValue: try row.decode(Int.self, "sex")) ?? .unspecified)",
                    birthDate: try row.decode(String.self, "birth_date"), desaCode: try row.decode(String.self, "desa_code"),
                    isChild: try row.decode(Bool.self, "is_child")
                )
            }
            let found = try await caseView(referralID: ReferralID(referralID)!, on: connection)
            guard person != nil || found != nil else { continue }
            exported.append(ExportedCase(person: person, caseRecord: try found.map { try JSONValue($0) }))
        }
        return (exported.count, exported)
    }

    func anonymise(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int {
        let ids = PostgresTextArray(request.referralIds)
        let people = try await connection.query("DELETE FROM referral_people WHERE referral_id = ANY ($1::uuid[])", [ids]).affectedRows
        let cases = try await connection.query(
            "UPDATE cases SET assessment_needs = NULL, assessment_plan = NULL WHERE referral_id = ANY ($1::uuid[])", [ids]
        ).affectedRows
        try await connection.query(
            "UPDATE offers SET note = '' WHERE case_id IN (SELECT id FROM cases WHERE referral_id = ANY ($1::uuid[]))", [ids]
        )
        return max(people, cases)
    }
}
