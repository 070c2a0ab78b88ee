import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with verification's SQL.
struct VerificationStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    /// Records a decision and queues its event, in the caller's transaction.
    func record(
        _ decision: IdentityCheck.Decision, for referral: Layar_V1_ReferralSubmitted, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO verifications (referral_id, verified, finding_codes, finding_messages, priority, decided_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
            [
                referral.referralID, decision.isVerified, PostgresTextArray(decision.findings.map(\.code)),
                PostgresTextArray(decision.findings.map(\.message)), decision.priority, time,
            ]
        )
        if decision.isVerified {
            try await outbox.append(Layar_V1_ReferralVerified.with {
                $0.referralID = referral.referralID
                $0.kecamatanCode = referral.kecamatanCode
                $0.ppksKind = referral.ppksKind
                $0.urgency = referral.urgency
                $0.priority = decision.priority
                $0.verifiedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        } else {
            try await outbox.append(Layar_V1_ReferralRejected.with {
                $0.referralID = referral.referralID
                $0.findings = decision.findings
                $0.rejectedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        }
    }

    func verification(of referralID: UUID) async throws -> Layar_V1_Verification? {
        let rows = try await pool.query(
            """
            SELECT referral_id, verified, finding_codes, finding_messages, priority, decided_at
            FROM verifications WHERE referral_id = $1
            """, [referralID])
        return try rows.first.map { row in
            let codes = try row.decode(PostgresTextArray.self, "finding_codes").elements
            let messages = try row.decode(PostgresTextArray.self, "finding_messages").elements
            return try Layar_V1_Verification.with {
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.outcome = try row.decode(Bool.self, "verified") ? .verified : .rejected
                $0.findings = zip(codes, messages).map { code, message in
                    .with {
                        $0.code = code
                        $0.message = message
                    }
                }
                $0.priority = try row.decode(Int32.self, "priority")
                $0.decidedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "decided_at"))
            }
        }
    }
}
