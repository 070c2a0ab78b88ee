import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// Deadlines that passed: an escalation (`CaseDeadlineMissed`) to the supervisor, once per
/// deadline; an offer left unanswered also expires and the case returns to its case worker.
extension CaseStore {
    struct SweepResult: Sendable, Equatable {
        var assignmentEscalations = 0
        var assessmentEscalations = 0
        var expiredOffers = 0
        var total: Int { assignmentEscalations + assessmentEscalations + expiredOffers }
    }

    /// Handles every deadline due at `now`, each case in its own short transaction.
    func sweepDeadlines(now: Date) async throws -> SweepResult {
        var result = SweepResult()
        while try await escalateOne(.assignment, now: now) { result.assignmentEscalations += 1 }
        while try await escalateOne(.assessment, now: now) { result.assessmentEscalations += 1 }
        while try await expireOneOffer(now: now) { result.expiredOffers += 1 }
        return result
    }

    private func escalateOne(_ deadline: Layar_V1_CaseDeadline, now: Date) async throws -> Bool {
        try await pool.withTransaction { connection in
            let due = deadline == .assignment
                ? try await connection.query(
                    """
                    SELECT id, assign_due_at AS due_at FROM cases
                    WHERE status = 'unassigned' AND assign_escalated_at IS NULL AND assign_due_at <= $1
                    ORDER BY assign_due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """, [now])
                : try await connection.query(
                    """
                    SELECT id, assess_due_at AS due_at FROM cases
                    WHERE status = 'assigned' AND assess_escalated_at IS NULL AND assess_due_at <= $1
                    ORDER BY assess_due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                    """, [now])
            guard let row = due.first else { return false }
            let record = try await lockCase(id: try row.decode(UUID.self, "id"), on: connection)
            if deadline == .assignment {
                try await connection.query("UPDATE cases SET assign_escalated_at = $2 WHERE id = $1", [record.id, now])
            } else {
                try await connection.query("UPDATE cases SET assess_escalated_at = $2 WHERE id = $1", [record.id, now])
            }
            try await escalate(record, deadline, dueAt: try row.decode(Date.self, "due_at"), institutionCode: "", now: now, on: connection)
            return true
        }
    }

    private func expireOneOffer(now: Date) async throws -> Bool {
        try await pool.withTransaction { connection in
            let due = try await connection.query(
                """
                SELECT case_id, answer_due_at FROM offers WHERE status = 'pending' AND answer_due_at <= $1
                ORDER BY answer_due_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """, [now])
            guard let row = due.first else { return false }
            var record = try await lockCase(id: try row.decode(UUID.self, "case_id"), on: connection)
            guard let offer = try await withdrawLiveOffer(
                of: record, as: .expired, note: "Tidak dijawab sampai batas waktu", at: now, on: connection
            ) else { return true }
            try await move(
                &record, to: .assessed, as: .expired, fromParty: offer.code, toParty: record.workerID ?? "",
                reason: Layar_V1_CaseDeadline.partnerAnswer.code, actor: Self.system, at: now, institutionCode: offer.code,
                offerID: offer.offerID, on: connection
            )
            try await escalate(
                record, .partnerAnswer, dueAt: try row.decode(Date.self, "answer_due_at"), institutionCode: offer.code,
                now: now, on: connection
            )
            return true
        }
    }

    private func escalate(
        _ record: CaseRecord, _ deadline: Layar_V1_CaseDeadline, dueAt: Date, institutionCode: String, now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await ledger.record(
            .init(
                type: .deadlineMissed, from: record.state, to: record.state, toParty: "supervisor",
                reason: deadline.code, actor: Self.system, at: now
            ),
            for: record, announce: false, on: connection
        )
        try await outbox.append(Layar_V1_CaseDeadlineMissed.with {
            $0.referralID = record.referralID
            $0.caseID = record.id.uuidString.lowercased()
            $0.deadline = deadline
            $0.dueAt = Google_Protobuf_Timestamp(date: dueAt)
            $0.caseWorkerID = record.workerID ?? ""
            $0.institutionCode = institutionCode
            $0.kecamatanCode = record.kecamatanCode
            $0.priority = record.priority
        }, on: connection, at: now)
    }
}
