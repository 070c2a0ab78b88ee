import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// SQL of the satisfaction survey: invitations and responses.
struct SurveyStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    /// Creates the invitation for a completed case (once per referral) and queues its event.
    func invite(referralID: String, at time: Date, on connection: PostgresConnection) async throws {
        // No consent to the survey, no invitation (and nothing counted as one). Unknown consent
        // (a referral from before) invites; notification checks the consent again before sending.
        let refused = try await connection.query(
            "SELECT 1 FROM referral_facts WHERE referral_id = $1::uuid AND survey_consent = false", [referralID]
        )
        guard refused.isEmpty else { return }
        let id = UUID()
        let expires = time.addingTimeInterval(Double(SurveyCode.validity.components.seconds))
        while true {
            let code = SurveyCode.invitation()
            let inserted = try await connection.query(
                """
                INSERT INTO invitations (id, referral_id, code, created_at, expires_at)
                SELECT $1, $2::uuid, $3, $4, $5
                WHERE NOT EXISTS (SELECT 1 FROM invitations WHERE referral_id = $2::uuid)
                ON CONFLICT (code) DO NOTHING
                RETURNING id
                """, [id, referralID, code, time, expires])
            if !inserted.isEmpty {
                try await outbox.append(Layar_V1_SurveyInvitationCreated.with {
                    $0.referralID = referralID
                    $0.invitationID = id.uuidString.lowercased()
                    $0.code = code
                    $0.expiresAt = Google_Protobuf_Timestamp(date: expires)
                }, on: connection, at: time)
                return
            }
            let exists = try await connection.query("SELECT 1 FROM invitations WHERE referral_id = $1::uuid", [referralID])
            if !exists.isEmpty { return }  // Already invited; otherwise the code was taken: draw another.
        }
    }

    func invitation(for referralID: ReferralID, now: Date) async throws -> Layar_V1_SurveyInvitation? {
        try await pool.query(
            """
            SELECT id, referral_id, code, answered_at, created_at, expires_at
            FROM invitations WHERE referral_id = $1
            """, [referralID]
        ).first.map { row in
            let expires = try row.decode(Date.self, "expires_at")
            let answered = try row.decode(Date?.self, "answered_at")
            return try Layar_V1_SurveyInvitation.with {
                $0.invitationID = try row.decode(String.self, "id")
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.code = try row.decode(String.self, "code")
                $0.status = answered != nil ? .answered : expires < now ? .expired : .open
                $0.createdAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "created_at"))
                $0.expiresAt = Google_Protobuf_Timestamp(date: expires)
            }
        }
    }

    enum ResponseError: Error, Equatable {
        case unknownCode
        case alreadyUsed
        case expired
    }

    /// Spends an invitation's single use and stores the answers, atomically.
    func submit(
        code: String, answers: [Layar_V1_ElementAnswer], suggestion: String, profile: Layar_V1_RespondentProfile,
        now: Date
    ) async throws -> UUID {
        try await pool.withTransaction { connection in
            guard let invitation = try await connection.query(
                "SELECT id, answered_at, expires_at FROM invitations WHERE code = $1 FOR UPDATE", [code.uppercased()]
            ).first else { throw ResponseError.unknownCode }
            guard try invitation.decode(Date?.self, "answered_at") == nil else { throw ResponseError.alreadyUsed }
            guard try invitation.decode(Date.self, "expires_at") > now else { throw ResponseError.expired }
            let invitationID = try invitation.decode(UUID.self, "id")
            try await connection.query("UPDATE invitations SET answered_at = $2 WHERE id = $1", [invitationID, now])
            return try await insertResponse(
                invitationID: invitationID, source: "invitation", operatorID: "", answeredOn: CivilDate.inBalangan(at: now),
                answers: answers, suggestion: suggestion, profile: profile, now: now, on: connection
            )
        }
    }

    /// An operator-entered paper or kiosk questionnaire: anonymous, marked as paper.
    func recordPaper(
        operatorID: String, answeredOn: CivilDate, answers: [Layar_V1_ElementAnswer], suggestion: String,
        profile: Layar_V1_RespondentProfile, now: Date
    ) async throws -> UUID {
        try await pool.withTransaction { connection in
            try await insertResponse(
                invitationID: nil, source: "paper", operatorID: operatorID, answeredOn: answeredOn, answers: answers,
                suggestion: suggestion, profile: profile, now: now, on: connection
            )
        }
    }

    private func insertResponse(
        invitationID: UUID?, source: String, operatorID: String, answeredOn: CivilDate, answers: [Layar_V1_ElementAnswer],
        suggestion: String, profile: Layar_V1_RespondentProfile, now: Date, on connection: PostgresConnection
    ) async throws -> UUID {
        let id = UUID()
        let scores = answers.sorted { $0.element.rawValue < $1.element.rawValue }.map { String($0.score) }
        try await connection.query(
            """
            INSERT INTO responses (id, invitation_id, source, operator_id, answered_on, scores, suggestion, sex,
                age_group, education, occupation, created_at)
            VALUES ($1, $2, $3, $4, $5::date, $6::integer[], $7, $8, $9, $10, $11, $12)
            """,
            [
                id, invitationID, source, operatorID, answeredOn.description, PostgresTextArray(scores), suggestion,
                profile.sex.rawValue, profile.ageGroup.rawValue, profile.education.rawValue, profile.occupation.rawValue,
                now,
            ]
        )
        return id
    }

    /// Per-element totals of the responses answered in a period (WITA days, both ends included).
    func elementTotals(from: CivilDate, to: CivilDate) async throws -> [IKMCalculator.ElementTotal] {
        let row = try await pool.query(
            """
            SELECT count(*) AS n, coalesce(sum(scores[1]), 0) AS s1, coalesce(sum(scores[2]), 0) AS s2,
                coalesce(sum(scores[3]), 0) AS s3, coalesce(sum(scores[4]), 0) AS s4, coalesce(sum(scores[5]), 0) AS s5,
                coalesce(sum(scores[6]), 0) AS s6, coalesce(sum(scores[7]), 0) AS s7, coalesce(sum(scores[8]), 0) AS s8,
                coalesce(sum(scores[9]), 0) AS s9
            FROM responses WHERE answered_on BETWEEN $1::date AND $2::date
            """, [from.description, to.description]
        ).first!
        let respondents = try row.decode(Int.self, "n")
        return try SKMQuestionnaire.elements.enumerated().map { index, element in
            IKMCalculator.ElementTotal(
                element: element.id, sum: try row.decode(Int.self, at: index + 1), respondents: respondents
            )
        }
    }
}
