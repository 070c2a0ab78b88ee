import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with verification's SQL.
struct VerificationStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    /// Remembers a submitted referral; false when it was already known.
    func saveSubject(_ submitted: Layar_V1_ReferralSubmitted, on connection: PostgresConnection) async throws -> Bool {
        let kinds = submitted.documents.map { String($0.kind.rawValue) }
        return try await connection.query(
            """
            INSERT INTO subjects (referral_id, submitted, document_kinds) VALUES ($1::uuid, $2, $3::integer[])
            ON CONFLICT (referral_id) DO NOTHING
            """,
            [submitted.referralID, try submitted.serializedBytes() as [UInt8], PostgresTextArray(kinds)]
        ).affectedRows == 1
    }

    /// The subject with its current documents, locked; nil when unknown or withdrawn.
    func subject(
        _ referralID: String, documents: [Layar_V1_DocumentInfo]?, on connection: PostgresConnection
    ) async throws -> (IdentityCheck.Subject, Layar_V1_ReferralSubmitted)? {
        if let documents {
            try await connection.query(
                "UPDATE subjects SET document_kinds = $2::integer[] WHERE referral_id = $1::uuid",
                [referralID, PostgresTextArray(documents.map { String($0.kind.rawValue) })]
            )
        }
        guard let row = try await connection.query(
            "SELECT submitted, document_kinds FROM subjects WHERE referral_id = $1::uuid AND NOT withdrawn FOR UPDATE",
            [referralID]
        ).first else { return nil }
        let submitted = try Layar_V1_ReferralSubmitted(serializedBytes: try row.decode([UInt8].self, "submitted"))
        var subject = IdentityCheck.Subject(submitted)
        subject.documentKinds = Set(try row.decode(PostgresTextArray.self, "document_kinds").elements.compactMap {
            Int($0).flatMap(Layar_V1_DocumentKind.init(rawValue:))
        })
        return (subject, submitted)
    }

    func markWithdrawn(_ referralID: String, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE subjects SET withdrawn = true WHERE referral_id = $1::uuid", [referralID])
    }

    /// Records a decision and queues its event, in the caller's transaction.
    func record(
        _ decision: IdentityCheck.Decision, for referral: Layar_V1_ReferralSubmitted, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let outcome: String
        var findings: [Layar_V1_CheckFinding] = []
        var missing: [Layar_V1_DocumentKind] = []
        var priority: Int32 = 0
        switch decision {
        case .verified(let score):
            outcome = "verified"
            priority = score
            try await outbox.append(Layar_V1_ReferralVerified.with {
                $0.referralID = referral.referralID
                $0.kecamatanCode = referral.kecamatanCode
                $0.ppksKind = referral.ppksKind
                $0.urgency = referral.urgency
                $0.priority = score
                $0.verifiedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        case .informationRequested(let documents, let message):
            outcome = "information_requested"
            missing = documents
            try await outbox.append(Layar_V1_ReferralInformationRequested.with {
                $0.referralID = referral.referralID
                $0.missingDocuments = documents
                $0.message = message
                $0.requestedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        case .rejected(let reasons):
            outcome = "rejected"
            findings = reasons
            try await outbox.append(Layar_V1_ReferralRejected.with {
                $0.referralID = referral.referralID
                $0.findings = reasons
                $0.rejectedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        }
        try await connection.query(
            """
            INSERT INTO verifications (referral_id, outcome, finding_codes, finding_messages, priority, decided_at,
                missing_documents)
            VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::integer[])
            """,
            [
                referral.referralID, outcome, PostgresTextArray(findings.map(\.code)),
                PostgresTextArray(findings.map(\.message)), priority, time,
                PostgresTextArray(missing.map { String($0.rawValue) }),
            ]
        )
    }

    /// The latest decision for a referral.
    func verification(of referralID: UUID) async throws -> Layar_V1_Verification? {
        let rows = try await pool.query(
            """
            SELECT referral_id, outcome, finding_codes, finding_messages, priority, decided_at, missing_documents
            FROM verifications WHERE referral_id = $1 ORDER BY id DESC LIMIT 1
            """, [referralID])
        return try rows.first.map { row in
            let codes = try row.decode(PostgresTextArray.self, "finding_codes").elements
            let messages = try row.decode(PostgresTextArray.self, "finding_messages").elements
            return try Layar_V1_Verification.with {
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.outcome = switch try row.decode(String.self, "outcome") {
                case "verified": .verified
                case "rejected": .rejected
                default: .informationRequested
                }
                $0.findings = zip(codes, messages).map { code, message in
                    .with {
                        $0.code = code
                        $0.message = message
                    }
                }
                $0.priority = try row.decode(Int32.self, "priority")
                $0.decidedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "decided_at"))
                $0.missingDocuments = try row.decode(PostgresTextArray.self, "missing_documents").elements
                    .compactMap { Int($0).flatMap(Layar_V1_DocumentKind.init(rawValue:)) }
            }
        }
    }
}
