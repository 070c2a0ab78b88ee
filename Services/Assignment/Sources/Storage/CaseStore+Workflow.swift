import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The case worker's steps: assessment, progress, outcome, completion and closing.
extension CaseStore {
    struct Assessment: Sendable {
        var needs: String
        var plan: String
        var route: Layar_V1_CaseRoute
        var service: Layar_V1_Need
    }

    /// Records the assessment of an assigned case (or a new one, while no offer is out).
    func recordAssessment(
        referralID: ReferralID, _ assessment: Assessment, actor: String, at time: Date
    ) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            try record.require([.assigned, .assessed], toDo: "diasesmen")
            let route = assessment.route == .refer ? "refer" : "serve_locally"
            try await connection.query(
                """
                UPDATE cases SET assessment_needs = $2, assessment_plan = $3, route = $4, service = $5, assessed_at = $6
                WHERE id = $1
                """,
                [
                    record.id, cipher.seal(assessment.needs, .assessmentNeeds), cipher.seal(assessment.plan, .assessmentPlan),
                    route, assessment.service.rawValue, time,
                ])
            try await move(&record, to: .assessed, as: .assessed, reason: route, actor: actor, at: time, on: connection)
        }
    }

    /// Admission (after an accepted offer) or service in progress (after admission, or the
    /// regency's own service after an assessment routed to serve locally).
    func recordProgress(
        referralID: ReferralID, step: Layar_V1_ProgressStep, note: String, actor: String, at time: Date
    ) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            switch step {
            case .admitted:
                try record.require([.accepted], toDo: "dicatat masuk lembaga")
                try await admit(&record, on: CivilDate.inBalangan(at: time), note: note, actor: actor, at: time, on: connection)
            default:
                if record.state == .assessed && record.route != .serveLocally {
                    throw CaseActionError.notAllowed("Kasus yang dirujuk ke lembaga mulai dilayani setelah diterima masuk")
                }
                try record.require([.assessed, .admitted], toDo: "dicatat sedang dilayani")
                try await move(&record, to: .inService, as: .inService, reason: note, actor: actor, at: time, on: connection)
            }
        }
    }

    /// Records the outcome of the service (the live offer, if any, gets it too).
    func recordOutcome(
        referralID: ReferralID, outcome: Layar_V1_ServiceOutcome, note: String, actor: String, at time: Date
    ) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            try record.require([.admitted, .inService], toDo: "dicatat hasil layanannya")
            try await setOutcome(&record, outcome: outcome, note: note, actor: actor, at: time, on: connection)
        }
    }

    /// Completes a case whose outcome is recorded and announces `CaseCompleted` (the survey follows).
    func complete(referralID: ReferralID, summary: String, actor: String, at time: Date) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            try record.require([.outcomeRecorded], toDo: "diselesaikan sebelum hasil layanan dicatat")
            try await connection.query(
                "UPDATE cases SET outcome = $2, completed_at = $3 WHERE id = $1", [record.id, summary, time]
            )
            try await move(
                &record, to: .completed, as: .completed, reason: summary, actor: actor, at: time, announce: false,
                on: connection
            )
            try await outbox.append(Layar_V1_CaseCompleted.with {
                $0.referralID = record.referralID
                $0.caseID = record.id.uuidString.lowercased()
                $0.outcome = summary
                $0.completedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
            try await assignWaitingCases(coveredBy: record.workerID, at: time, on: connection)
        }
    }

    /// Closes a completed case, or an open one early with a reason (a live offer is withdrawn).
    func close(referralID: ReferralID, reason: String, actor: String, at time: Date) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            guard record.state.isOpen || record.state == .completed else {
                throw CaseActionError.notAllowed("Kasus yang \(record.state.label) tidak dapat ditutup")
            }
            if record.state != .completed && reason.isEmpty {
                throw CaseActionError.invalidField(field: "reason", message: "Alasan wajib diisi untuk menutup kasus yang belum selesai")
            }
            try await withdrawLiveOffer(of: record, as: .revoked, note: reason, at: time, on: connection)
            let wasOpen = record.state.isOpen
            try await connection.query(
                "UPDATE cases SET completed_at = coalesce(completed_at, $2) WHERE id = $1", [record.id, time]
            )
            try await move(&record, to: .closed, as: .closed, reason: reason, actor: actor, at: time, on: connection)
            if wasOpen { try await assignWaitingCases(coveredBy: record.workerID, at: time, on: connection) }
        }
    }

    // MARK: - Steps shared with the partner API

    /// Moves an accepted case and its offer to admitted, taking one of the institution's places.
    func admit(
        _ record: inout CaseRecord, on day: CivilDate, note: String, actor: String, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let offers = try await connection.query(
            """
            UPDATE offers SET status = 'admitted', admitted_on = $2::date WHERE case_id = $1 AND status = 'accepted'
            RETURNING id, institution_code
            """, [record.id, day.description])
        let institution = try offers.first?.decode(String.self, "institution_code") ?? ""
        try await connection.query(
            """
            UPDATE institutions SET capacity_available = greatest(capacity_available - 1, 0)
            WHERE code = $1 AND capacity_updated_at IS NOT NULL
            """, [institution])
        try await move(
            &record, to: .admitted, as: .admitted, toParty: institution, reason: note, actor: actor, at: time,
            institutionCode: institution, offerID: try offers.first?.decode(OfferID.self, "id"), on: connection
        )
    }

    /// Records the service outcome on the case and on its live offer.
    func setOutcome(
        _ record: inout CaseRecord, outcome: Layar_V1_ServiceOutcome, note: String, actor: String, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let offers = try await connection.query(
            """
            UPDATE offers SET status = 'outcome_recorded', outcome = $2, note = $3
            WHERE case_id = $1 AND status = 'admitted' RETURNING id, institution_code
            """, [record.id, outcome.rawValue, note])
        try await connection.query("UPDATE cases SET service_outcome = $2 WHERE id = $1", [record.id, outcome.rawValue])
        try await move(
            &record, to: .outcomeRecorded, as: .outcomeRecorded, reason: outcome.code + (note.isEmpty ? "" : ": \(note)"),
            actor: actor, at: time, institutionCode: try offers.first?.decode(String.self, "institution_code") ?? "",
            offerID: try offers.first?.decode(OfferID.self, "id"), on: connection
        )
    }

    /// Runs `body` on the locked case in one transaction and answers the case as it is after.
    func change(
        referralID: ReferralID, _ body: @Sendable (inout CaseRecord, PostgresConnection) async throws -> Void
    ) async throws -> Layar_V1_Case {
        try await pool.withTransaction { connection in
            var record = try await lockCase(referralID: referralID, on: connection)
            try await body(&record, connection)
            return try await caseView(referralID: referralID, on: connection)!
        }
    }
}
