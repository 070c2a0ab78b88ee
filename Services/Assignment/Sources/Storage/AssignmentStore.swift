import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with assignment's SQL.
struct AssignmentStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox

    /// Opens the case of a verified referral and assigns the least-loaded active case worker who
    /// covers the kecamatan and has capacity left; without one the case waits unassigned.
    func openCase(for verified: Layar_V1_ReferralVerified, at time: Date, on connection: PostgresConnection) async throws {
        let caseID = UUID()
        let withdrawn = try await connection.query(
            "SELECT 1 FROM withdrawn_referrals WHERE referral_id = $1::uuid", [verified.referralID]
        )
        guard withdrawn.isEmpty else { return }
        let opened = try await connection.query(
            """
            INSERT INTO cases (id, referral_id, status, kecamatan_code, ppks_kind, priority, opened_at)
            VALUES ($1, $2::uuid, 'unassigned', $3, $4, $5, $6) ON CONFLICT (referral_id) DO NOTHING
            """,
            [caseID, verified.referralID, verified.kecamatanCode, verified.ppksKind, verified.priority, time]
        )
        guard opened.affectedRows == 1 else { return }
        // Lock the chosen worker's row so concurrent assignments cannot both take the last place.
        let candidates = try await connection.query(
            """
            SELECT w.id, w.name FROM case_workers w
            LEFT JOIN LATERAL (
                SELECT count(*) AS open FROM cases c WHERE c.case_worker_id = w.id AND c.status = 'assigned'
            ) load ON true
            WHERE w.active AND $1 = ANY (w.kecamatan_codes) AND load.open < w.capacity
            ORDER BY load.open, w.id LIMIT 1 FOR UPDATE OF w
            """, [verified.kecamatanCode])
        guard let worker = candidates.first else { return }
        let workerID = try worker.decode(String.self, "id")
        try await connection.query(
            "UPDATE cases SET status = 'assigned', case_worker_id = $2, assigned_at = $3 WHERE id = $1",
            [caseID, workerID, time]
        )
        try await outbox.append(Layar_V1_CaseAssigned.with {
            $0.referralID = verified.referralID
            $0.caseID = caseID.uuidString.lowercased()
            $0.caseWorkerID = workerID
            $0.caseWorkerName = (try? worker.decode(String.self, "name")) ?? ""
            $0.assignedAt = Google_Protobuf_Timestamp(date: time)
        }, on: connection, at: time)
    }

    /// Stops work on a withdrawn referral: its open case (if any) is closed as withdrawn, and a
    /// verification arriving later opens none.
    func withdraw(referralID: String, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO withdrawn_referrals (referral_id, withdrawn_at) VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING",
            [referralID, time]
        )
        try await connection.query(
            """
            UPDATE cases SET status = 'withdrawn', completed_at = $2
            WHERE referral_id = $1::uuid AND status IN ('unassigned', 'assigned')
            """, [referralID, time])
    }

    enum CompletionError: Error {
        case notFound
        case notAssigned(status: String)
    }

    /// Closes an assigned case with its outcome and queues `CaseCompleted`.
    func complete(referralID: UUID, outcome: String, at time: Date = Date()) async throws -> Layar_V1_Case {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                "SELECT id, status FROM cases WHERE referral_id = $1 FOR UPDATE", [referralID]
            )
            guard let row = rows.first else { throw CompletionError.notFound }
            let status = try row.decode(String.self, "status")
            guard status == "assigned" else { throw CompletionError.notAssigned(status: status) }
            let caseID = try row.decode(String.self, "id")
            try await connection.query(
                "UPDATE cases SET status = 'completed', outcome = $2, completed_at = $3 WHERE id = $1::uuid",
                [caseID, outcome, time]
            )
            try await outbox.append(Layar_V1_CaseCompleted.with {
                $0.referralID = referralID.uuidString.lowercased()
                $0.caseID = caseID
                $0.outcome = outcome
                $0.completedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
            return try await caseView(referralID: referralID, on: connection)!
        }
    }

    func caseView(referralID: UUID) async throws -> Layar_V1_Case? {
        try await pool.withConnection { try await caseView(referralID: referralID, on: $0) }
    }

    private func caseView(referralID: UUID, on connection: PostgresConnection) async throws -> Layar_V1_Case? {
        let rows = try await connection.query(
            """
            SELECT c.id, c.referral_id, c.status, coalesce(c.case_worker_id, '') AS worker_id,
                coalesce(w.name, '') AS worker_name, c.kecamatan_code, c.ppks_kind, c.priority, c.outcome,
                c.opened_at, c.assigned_at, c.completed_at
            FROM cases c LEFT JOIN case_workers w ON w.id = c.case_worker_id WHERE c.referral_id = $1
            """, [referralID])
        return try rows.first.map { row in
            try Layar_V1_Case.with {
                $0.caseID = try row.decode(String.self, "id")
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.status = Self.status(try row.decode(String.self, "status"))
                $0.caseWorkerID = try row.decode(String.self, "worker_id")
                $0.caseWorkerName = try row.decode(String.self, "worker_name")
                $0.kecamatanCode = try row.decode(String.self, "kecamatan_code")
                $0.ppksKind = try row.decode(String.self, "ppks_kind")
                $0.priority = try row.decode(Int32.self, "priority")
                $0.outcome = try row.decode(String.self, "outcome")
                $0.openedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "opened_at"))
                if let assigned = try row.decode(Date?.self, "assigned_at") {
                    $0.assignedAt = Google_Protobuf_Timestamp(date: assigned)
                }
                if let completed = try row.decode(Date?.self, "completed_at") {
                    $0.completedAt = Google_Protobuf_Timestamp(date: completed)
                }
            }
        }
    }

    func caseWorkers() async throws -> [Layar_V1_CaseWorker] {
        try await pool.query(
            """
            SELECT w.id, w.name, w.kecamatan_codes, w.capacity, w.active,
                (SELECT count(*) FROM cases c WHERE c.case_worker_id = w.id AND c.status = 'assigned') AS open
            FROM case_workers w ORDER BY w.id
            """
        ).map { row in
            try Layar_V1_CaseWorker.with {
                $0.id = try row.decode(String.self, "id")
                $0.name = try row.decode(String.self, "name")
                $0.kecamatanCodes = try row.decode(PostgresTextArray.self, "kecamatan_codes").elements
                $0.capacity = try row.decode(Int32.self, "capacity")
                $0.openCases = try row.decode(Int32.self, "open")
                $0.active = try row.decode(Bool.self, "active")
            }
        }
    }

    static func status(_ text: String) -> Layar_V1_CaseStatus {
        switch text {
        case "unassigned": .unassigned
        case "assigned": .assigned
        case "completed": .completed
        case "withdrawn": .withdrawn
        default: .unspecified
        }
    }
}
