import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// Opening cases and giving them to case workers: automatically (least loaded worker covering
/// the kecamatan, within capacity, waiting cases by priority) or by a supervisor.
extension CaseStore {
    static let system = "system"

    /// Opens the case of a verified referral, then assigns it when a case worker has room.
    func openCase(for verified: Layar_V1_ReferralVerified, at time: Date, on connection: PostgresConnection) async throws {
        let withdrawn = try await connection.query(
            "SELECT 1 FROM withdrawn_referrals WHERE referral_id = $1::uuid", [verified.referralID]
        )
        guard withdrawn.isEmpty else { return }
        let verifiedAt = verified.hasVerifiedAt ? verified.verifiedAt.date : time
        let opened = try await connection.query(
            """
            INSERT INTO cases (id, referral_id, status, kecamatan_code, ppks_kind, priority, urgency, opened_at, assign_due_at)
            VALUES ($1, $2::uuid, 'unassigned', $3, $4, $5, $6, $7, $8) ON CONFLICT (referral_id) DO NOTHING
            """,
            [
                UUID(), verified.referralID, verified.kecamatanCode, verified.ppksKind, verified.priority,
                verified.urgency.rawValue, time, deadlines.assignmentDue(openedAt: verifiedAt),
            ]
        )
        guard opened.affectedRows == 1, let referralID = ReferralID(verified.referralID) else { return }
        var record = try await lockCase(referralID: referralID, on: connection)
        try await ledger.record(
            .init(type: .opened, from: nil, to: .unassigned, actor: Self.system, at: time), for: record, announce: false,
            on: connection
        )
        _ = try await assignAutomatically(&record, at: time, on: connection)
    }

    /// Gives waiting cases of the kecamatan `workerID` covers, highest priority first, to case
    /// workers who now have room (after one of that worker's cases ended, or the worker's coverage,
    /// capacity or leave changed). Cases elsewhere could not use that room, so they are not tried.
    /// Returns how many were assigned.
    @discardableResult
    func assignWaitingCases(coveredBy workerID: String?, at time: Date, on connection: PostgresConnection) async throws -> Int {
        guard let workerID else { return 0 }
        let waiting = try await connection.query(
            """
            SELECT c.id FROM cases c JOIN case_workers w ON w.id = $1
            WHERE c.status = 'unassigned' AND c.kecamatan_code = ANY (w.kecamatan_codes)
            ORDER BY c.priority DESC, c.opened_at LIMIT 500 FOR UPDATE OF c SKIP LOCKED
            """, [workerID])
        var assigned = 0
        for row in waiting {
            var record = try await lockCase(id: try row.decode(UUID.self, "id"), on: connection)
            if try await assignAutomatically(&record, at: time, on: connection) { assigned += 1 }
        }
        return assigned
    }

    /// A supervisor gives the case to `workerID` (who must be active, cover the kecamatan and have room).
    func reassign(
        referralID: ReferralID, to workerID: String, reason: String, actor: String, at time: Date
    ) async throws -> Layar_V1_Case {
        try await pool.withTransaction { connection in
            var record = try await lockCase(referralID: referralID, on: connection)
            guard record.state.isOpen else {
                throw CaseActionError.notAllowed("Kasus yang \(record.state.label) tidak dapat dialihkan")
            }
            guard record.workerID != workerID else {
                throw CaseActionError.invalidField(field: "case_worker_id", message: "Pendamping ini sudah menangani kasus")
            }
            guard let worker = try await lockWorkerWithRoom(workerID, kecamatanCode: record.kecamatanCode, on: connection)
            else {
                throw CaseActionError.invalidField(
                    field: "case_worker_id",
                    message: "Pendamping tidak ditemukan, tidak aktif, tidak mencakup kecamatan ini, atau bebannya penuh"
                )
            }
            try await give(&record, to: worker, reason: reason, actor: actor, at: time, on: connection)
            return try await caseView(referralID: referralID, on: connection)!
        }
    }

    /// Stops work on a withdrawn referral: its open case is closed as withdrawn (a live offer is
    /// withdrawn from the institution), and a verification arriving later opens none.
    func withdraw(referralID: String, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO withdrawn_referrals (referral_id, withdrawn_at) VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING",
            [referralID, time]
        )
        guard let id = ReferralID(referralID) else { return }
        var record: CaseRecord
        do {
            record = try await lockCase(referralID: id, on: connection)
        } catch CaseActionError.caseNotFound {
            return
        }
        guard record.state.isOpen else { return }
        try await withdrawLiveOffer(of: record, as: .revoked, note: "Rujukan dibatalkan pemohon", at: time, on: connection)
        try await connection.query("UPDATE cases SET completed_at = $2 WHERE id = $1", [record.id, time])
        try await move(
            &record, to: .withdrawn, as: .withdrawn, fromParty: record.workerID ?? "", actor: Self.system, at: time,
            on: connection
        )
        try await assignWaitingCases(coveredBy: record.workerID, at: time, on: connection)
    }

    // MARK: - Choosing and giving

    /// Assigns an unassigned case to the least-loaded eligible case worker; false when none has room.
    private func assignAutomatically(_ record: inout CaseRecord, at time: Date, on connection: PostgresConnection) async throws -> Bool {
        guard record.state == .unassigned else { return false }
        let candidates = try await connection.query(
            """
            SELECT id FROM case_workers
            WHERE active AND $1 = ANY (kecamatan_codes) AND open_cases < capacity
            ORDER BY open_cases, id LIMIT 20
            """, [record.kecamatanCode])
        for candidate in candidates {
            let workerID = try candidate.decode(String.self, "id")
            if let worker = try await lockWorkerWithRoom(workerID, kecamatanCode: record.kecamatanCode, on: connection) {
                try await give(&record, to: worker, reason: "", actor: Self.system, at: time, on: connection)
                return true
            }
        }
        return false
    }

    /// Locks the worker's row if they still have room: two assignments racing for the last place
    /// serialise on the lock, and PostgreSQL re-checks the condition on the row the first left.
    private func lockWorkerWithRoom(
        _ workerID: String, kecamatanCode: String, on connection: PostgresConnection
    ) async throws -> (id: String, name: String)? {
        let locked = try await connection.query(
            """
            SELECT id, name FROM case_workers
            WHERE id = $1 AND active AND $2 = ANY (kecamatan_codes) AND open_cases < capacity FOR UPDATE
            """, [workerID, kecamatanCode])
        guard let worker = locked.first else { return nil }
        return (workerID, try worker.decode(String.self, "name"))
    }

    /// Makes `worker` responsible for the case, restarts the assessment deadline when the case
    /// still waits for it, and announces `CaseAssigned`.
    private func give(
        _ record: inout CaseRecord, to worker: (id: String, name: String), reason: String, actor: String, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let previous = record.workerID
        let from = record.state
        let to: CaseState = from == .unassigned ? .assigned : from
        try await connection.query(
            """
            UPDATE cases SET status = $2, case_worker_id = $3, assigned_at = $4,
                assess_due_at = CASE WHEN $2 = 'assigned' THEN $5 ELSE assess_due_at END,
                assess_escalated_at = CASE WHEN $2 = 'assigned' THEN NULL ELSE assess_escalated_at END
            WHERE id = $1
            """,
            [record.id, to.rawValue, worker.id, time, deadlines.assessmentDue(assignedAt: time)]
        )
        try await connection.query("UPDATE case_workers SET open_cases = open_cases + 1 WHERE id = $1", [worker.id])
        if let previous {
            try await connection.query("UPDATE case_workers SET open_cases = open_cases - 1 WHERE id = $1", [previous])
        }
        record.state = to
        record.workerID = worker.id
        try await ledger.record(
            .init(
                type: previous == nil ? .assigned : .reassigned, from: from, to: to, fromParty: previous ?? "",
                toParty: worker.id, reason: reason, actor: actor, at: time
            ), for: record, announce: false, on: connection
        )
        try await outbox.append(Layar_V1_CaseAssigned.with {
            $0.referralID = record.referralID
            $0.caseID = record.id.uuidString.lowercased()
            $0.caseWorkerID = worker.id
            $0.caseWorkerName = worker.name
            $0.assignedAt = Google_Protobuf_Timestamp(date: time)
            $0.previousCaseWorkerID = previous ?? ""
            $0.reason = reason
        }, on: connection, at: time)
    }
}
