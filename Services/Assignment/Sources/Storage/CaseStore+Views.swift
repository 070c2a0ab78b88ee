import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// Reading cases for staff: one case with its offers and ledger, and the unassigned queue.
extension CaseStore {
    func caseView(referralID: ReferralID) async throws -> Layar_V1_Case? {
        try await pool.withConnection { try await caseView(referralID: referralID, on: $0) }
    }

    /// The supervisors' queue: waiting cases, highest priority first, oldest first.
    func unassignedCases() async throws -> [Layar_V1_Case] {
        try await pool.withConnection { connection in
            try await caseViews(of: connection.query(
                "SELECT referral_id FROM cases WHERE status = 'unassigned' ORDER BY priority DESC, opened_at LIMIT 500"
            ), on: connection)
        }
    }

    /// A caseload: the nearest open deadline first (the assignment deadline while unassigned, the
    /// assessment deadline while assigned, the pending offer's answer deadline while offered).
    func caseload(
        caseWorkerID: String, kecamatanCode: String, dueWithinDays: Int, includeEnded: Bool, now: Date
    ) async throws -> [Layar_V1_Case] {
        try await pool.withConnection { connection in
            try await caseViews(of: connection.query(
                """
                SELECT referral_id FROM (
                    SELECT c.referral_id, c.opened_at, c.status, CASE c.status
                        WHEN 'unassigned' THEN c.assign_due_at
                        WHEN 'assigned' THEN c.assess_due_at
                        WHEN 'offered' THEN (SELECT min(o.answer_due_at) FROM offers o WHERE o.case_id = c.id AND o.status = 'pending')
                    END AS due_at
                    FROM cases c
                    WHERE ($1::text = '' OR c.case_worker_id = $1::text) AND ($2::text = '' OR c.kecamatan_code = $2::text)
                ) listed
                WHERE ($3::boolean OR status NOT IN ('completed', 'closed', 'withdrawn'))
                    AND ($4::integer = 0 OR due_at <= $5::timestamptz + make_interval(days => $4::integer))
                ORDER BY due_at NULLS LAST, opened_at LIMIT 500
                """, [caseWorkerID, kecamatanCode, includeEnded, dueWithinDays, now]
            ), on: connection)
        }
    }

    private func caseViews(of ids: PostgresRows, on connection: PostgresConnection) async throws -> [Layar_V1_Case] {
        var cases: [Layar_V1_Case] = []
        for row in ids {
            if let found = try await caseView(referralID: try row.decode(ReferralID.self, "referral_id"), on: connection) {
                cases.append(found)
            }
        }
        return cases
    }

    func caseView(referralID: ReferralID, on connection: PostgresConnection) async throws -> Layar_V1_Case? {
        let rows = try await connection.query(
            """
            SELECT c.id, c.referral_id, c.status, coalesce(c.case_worker_id, '') AS worker_id,
                coalesce(w.name, '') AS worker_name, c.kecamatan_code, c.ppks_kind, c.priority, c.outcome,
                c.opened_at, c.assigned_at, c.completed_at, coalesce(c.route, '') AS route, c.service,
                c.assessment_needs, c.assessment_plan, c.service_outcome, c.assign_due_at, c.assess_due_at
            FROM cases c LEFT JOIN case_workers w ON w.id = c.case_worker_id WHERE c.referral_id = $1
            """, [referralID])
        guard let row = rows.first else { return nil }
        var found = try Layar_V1_Case.with {
            $0.caseID = try row.decode(String.self, "id")
            $0.referralID = try row.decode(String.self, "referral_id")
            $0.status = CaseState(rawValue: try row.decode(String.self, "status"))?.proto ?? .unspecified
            $0.caseWorkerID = try row.decode(String.self, "worker_id")
            $0.caseWorkerName = try row.decode(String.self, "worker_name")
            $0.kecamatanCode = try row.decode(String.self, "kecamatan_code")
            $0.ppksKind = try row.decode(String.self, "ppks_kind")
            $0.priority = try row.decode(Int32.self, "priority")
            $0.outcome = try row.decode(String.self, "outcome")
            $0.openedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "opened_at"))
            $0.route = switch try row.decode(String.self, "route") {
            case "refer": .refer
            case "serve_locally": .serveLocally
            default: .unspecified
            }
            $0.service = Layar_V1_Need(rawValue: try row.decode(Int.self, "service")) ?? .unspecified
            $0.assessmentNeeds = try row.decode([UInt8]?.self, "assessment_needs").map { try cipher.openString($0, .assessmentNeeds) } ?? ""
            $0.assessmentPlan = try row.decode([UInt8]?.self, "assessment_plan").map { try cipher.openString($0, .assessmentPlan) } ?? ""
            $0.serviceOutcome = Layar_V1_ServiceOutcome(rawValue: try row.decode(Int.self, "service_outcome")) ?? .unspecified
            for (column, field) in [
                ("assigned_at", \Layar_V1_Case.assignedAt), ("completed_at", \.completedAt),
                ("assign_due_at", \.assignDueAt), ("assess_due_at", \.assessDueAt),
            ] {
                if let date = try row.decode(Date?.self, column) { $0[keyPath: field] = Google_Protobuf_Timestamp(date: date) }
            }
        }
        let caseID = try row.decode(UUID.self, "id")
        found.offers = try await connection.query(
            """
            SELECT id, institution_code, letter_number, status, decline_reason, note, outcome, sent_at, answer_due_at,
                answered_at
            FROM offers WHERE case_id = $1 ORDER BY sent_at
            """, [caseID]
        ).map { offer in
            try Layar_V1_Offer.with {
                $0.offerID = try offer.decode(String.self, "id")
                $0.institutionCode = try offer.decode(String.self, "institution_code")
                $0.letterNumber = try offer.decode(String.self, "letter_number")
                $0.status = OfferState(rawValue: try offer.decode(String.self, "status"))?.proto ?? .unspecified
                $0.declineReason = Layar_V1_DeclineReason(rawValue: try offer.decode(Int.self, "decline_reason")) ?? .unspecified
                $0.note = try offer.decode(String.self, "note")
                $0.outcome = Layar_V1_ServiceOutcome(rawValue: try offer.decode(Int.self, "outcome")) ?? .unspecified
                $0.sentAt = Google_Protobuf_Timestamp(date: try offer.decode(Date.self, "sent_at"))
                $0.answerDueAt = Google_Protobuf_Timestamp(date: try offer.decode(Date.self, "answer_due_at"))
                if let answered = try offer.decode(Date?.self, "answered_at") {
                    $0.answeredAt = Google_Protobuf_Timestamp(date: answered)
                }
            }
        }
        found.transitions = try await connection.query(
            """
            SELECT type, coalesce(from_status, '') AS from_status, to_status, from_party, to_party, reason, actor, at
            FROM case_transitions WHERE case_id = $1 ORDER BY id
            """, [caseID]
        ).map { entry in
            try Layar_V1_CaseTransition.with {
                $0.type = Layar_V1_TransitionType(rawValue: try entry.decode(Int.self, "type")) ?? .unspecified
                $0.fromStatus = CaseState(rawValue: try entry.decode(String.self, "from_status"))?.proto ?? .unspecified
                $0.toStatus = CaseState(rawValue: try entry.decode(String.self, "to_status"))?.proto ?? .unspecified
                $0.fromParty = try entry.decode(String.self, "from_party")
                $0.toParty = try entry.decode(String.self, "to_party")
                $0.reason = try entry.decode(String.self, "reason")
                $0.actor = try entry.decode(String.self, "actor")
                $0.at = Google_Protobuf_Timestamp(date: try entry.decode(Date.self, "at"))
            }
        }
        return found
    }
}
