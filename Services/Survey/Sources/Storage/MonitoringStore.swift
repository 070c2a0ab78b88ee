import Foundation
import LayarDomain
import LayarPostgres
import LayarSchema

/// SQL of the monitoring read model: one row of facts per referral, fed by intake's and
/// assignment's events, never by their tables.
struct MonitoringStore: Sendable {
    let pool: PostgresPool

    func recordSubmitted(_ submitted: Layar_V1_ReferralSubmitted, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO referral_facts (referral_id, person_id, ppks_kind, kecamatan_code, submitted_at, survey_consent)
            VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6)
            ON CONFLICT (referral_id) DO UPDATE SET person_id = EXCLUDED.person_id, ppks_kind = EXCLUDED.ppks_kind,
                kecamatan_code = EXCLUDED.kecamatan_code, submitted_at = EXCLUDED.submitted_at,
                survey_consent = EXCLUDED.survey_consent
            """,
            [
                submitted.referralID, submitted.personID.isEmpty ? nil : submitted.personID, submitted.ppksKind,
                submitted.kecamatanCode, submitted.submittedAt.date,
                submitted.consentPurposes.isEmpty ? nil : submitted.consentPurposes.contains(.survey),
            ]
        )
    }

    func recordCompleted(_ completed: Layar_V1_CaseCompleted, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO referral_facts (referral_id, completed_at) VALUES ($1::uuid, $2)
            ON CONFLICT (referral_id) DO UPDATE SET completed_at = EXCLUDED.completed_at
            """, [completed.referralID, completed.completedAt.date])
    }

    /// A message notification delivered (a failed attempt is not counted: the next channel's is).
    func recordDelivered(_ delivered: Layar_V1_NotificationDelivered, on connection: PostgresConnection) async throws {
        guard delivered.outcome == .sent, MessageID(delivered.messageID) != nil else { return }
        try await connection.query(
            """
            INSERT INTO message_deliveries (message_id, referral_id, audience, channel, delivered_at)
            VALUES ($1::uuid, $2::uuid, $3, $4, $5) ON CONFLICT (message_id) DO NOTHING
            """, [delivered.messageID, delivered.referralID, Int(delivered.audience), Int(delivered.channel), delivered.at.date])
    }

    /// Messages delivered to applicants in a period, by channel (the DeliveryChannel value).
    func applicantMessages(from: CivilDate, to: CivilDate) async throws -> [(channel: Int, count: Int)] {
        try await pool.query(
            """
            SELECT channel, count(*) AS n FROM message_deliveries
            WHERE audience = $3 AND delivered_at >= $1 AND delivered_at < $2 GROUP BY channel ORDER BY channel
            """, [from.startInBalangan, to.adding(days: 1).startInBalangan, Layar_V1_Audience.applicant.rawValue]
        ).map { (try $0.decode(Int.self, "channel"), try $0.decode(Int.self, "n")) }
    }

    /// People served in a period: distinct persons whose case was completed in it.
    func population(from: CivilDate, to: CivilDate) async throws -> Int {
        try await pool.query(
            """
            SELECT count(DISTINCT coalesce(person_id, referral_id)) AS n FROM referral_facts
            WHERE completed_at >= $1 AND completed_at < $2
            """, [from.startInBalangan, to.adding(days: 1).startInBalangan]
        ).first!.decode(Int.self, "n")
    }

    func referralFigures(from: CivilDate, to: CivilDate) async throws -> ReferralFigures {
        let start = from.startInBalangan
        let end = to.adding(days: 1).startInBalangan
        var figures = ReferralFigures()
        try await pool.withConnection { connection in
            let totals = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE submitted_at >= $1 AND submitted_at < $2) AS submitted,
                    count(*) FILTER (WHERE completed_at >= $1 AND completed_at < $2) AS completed,
                    count(DISTINCT coalesce(person_id, referral_id)) FILTER (WHERE completed_at >= $1 AND completed_at < $2)
                        AS beneficiaries
                FROM referral_facts
                """, [start, end]
            ).first!
            figures.submitted = try totals.decode(Int.self, "submitted")
            figures.completed = try totals.decode(Int.self, "completed")
            figures.uniqueBeneficiaries = try totals.decode(Int.self, "beneficiaries")
            // Months in WITA: the session runs in UTC, so shift by 8 hours.
            let groups = try await connection.query(
                """
                SELECT 'ppks' AS dimension, ppks_kind AS key, count(*) AS n FROM referral_facts
                    WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY ppks_kind
                UNION ALL
                SELECT 'kecamatan', kecamatan_code, count(*) FROM referral_facts
                    WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY kecamatan_code
                UNION ALL
                SELECT 'month', to_char(submitted_at + interval '8 hours', 'YYYY-MM'), count(*) FROM referral_facts
                    WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY 2
                ORDER BY 1, 2
                """, [start, end])
            for row in groups {
                let entry = (try row.decode(String?.self, "key") ?? "", try row.decode(Int.self, "n"))
                switch try row.decode(String.self, "dimension") {
                case "ppks": figures.byPPKSKind.append(entry)
                case "kecamatan": figures.byKecamatan.append(entry)
                default: figures.byMonth.append(entry)
                }
            }
            figures.daysToCompletion = try await connection.query(
                """
                SELECT extract(epoch FROM completed_at - submitted_at) / 86400 AS days FROM referral_facts
                WHERE completed_at >= $1 AND completed_at < $2 AND submitted_at IS NOT NULL
                """, [start, end]
            ).map { try $0.decode(Double.self, "days") }
        }
        figures.applicantMessages = try await applicantMessages(from: from, to: to)
        return figures
    }
}
