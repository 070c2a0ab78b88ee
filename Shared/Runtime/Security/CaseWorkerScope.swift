import Foundation
import GRPCCore
import LayarJobs
import LayarPostgres
import LayarDomain
import LayarSchema

/// A case worker sees the referrals assigned to them, in every service, not only in assignment:
/// each service that shows a referral to case workers keeps who its case worker is, as
/// assignment announces it (`CaseAssigned`, `CaseTransitioned` on `layar.assignment.cases.v1`),
/// and refuses a case worker any other referral. Until the assignment arrives nobody is its case
/// worker (the check fails closed).
public enum CaseWorkerScope {
    /// The table of referral → case worker, in the service's own schema.
    public static let migration = PostgresMigration(
        version: 1004, name: "case workers of referrals",
        sql: """
            CREATE TABLE case_worker_assignments (
                referral_id uuid PRIMARY KEY,
                case_worker_id text NOT NULL,
                assigned_at timestamptz NOT NULL
            );
            """
    )

    /// Wraps the handler of a consumer of assignment's topic so that it also keeps the table.
    public static func recording(_ handler: any EventHandler) -> any EventHandler {
        Recorder(inner: handler)
    }

    /// Throws PERMISSION_DENIED unless the caller may see `referralID`: a caller with any role in
    /// `unscoped` sees every referral, one who is (for this call) only a case worker sees those
    /// assigned to them. Calls without a staff identity (services, partners) are not scoped here.
    public static func requireAccess(to referralID: ReferralID, unscoped: Set<StaffRole>, pool: PostgresPool) async throws {
        guard let identity = StaffIdentity.current, identity.roles.isDisjoint(with: unscoped) else { return }
        let assigned = try await pool.query(
            "SELECT case_worker_id FROM case_worker_assignments WHERE referral_id = $1", [referralID]
        ).first.map { try $0.decode(String.self, "case_worker_id") }
        guard identity.roles.contains(.caseWorker), !identity.caseWorkerID.isEmpty, assigned == identity.caseWorkerID else {
            throw RPCError(code: .permissionDenied, message: "Rujukan ini bukan tanggungan Anda.")
        }
    }

    /// Applies the inner handler's events and records each assignment it sees.
    struct Recorder: EventHandler {
        let inner: any EventHandler
        static let recorded: Set<String> = [Layar_V1_CaseAssigned.eventType, Layar_V1_CaseTransitioned.eventType]
        // Computed once: the consumer asks for every message it reads.
        let eventTypes: Set<String>
        let ignoredEventTypes: Set<String>

        init(inner: any EventHandler) {
            self.inner = inner
            eventTypes = inner.eventTypes.union(Self.recorded)
            ignoredEventTypes = inner.ignoredEventTypes.subtracting(Self.recorded)
        }

        func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
            switch event.type {
            case Layar_V1_CaseAssigned.eventType:
                let assigned = try event.decode(Layar_V1_CaseAssigned.self)
                try await record(assigned.referralID, assigned.caseWorkerID, at: assigned.assignedAt.date, on: connection)
            case Layar_V1_CaseTransitioned.eventType:
                let transitioned = try event.decode(Layar_V1_CaseTransitioned.self)
                try await record(transitioned.referralID, transitioned.caseWorkerID, at: transitioned.transition.at.date, on: connection)
            default:
                break
            }
            if inner.eventTypes.contains(event.type) {
                try await inner.handle(event, on: connection)
            }
        }

        /// The later announcement wins (events of one referral arrive in order, on one partition).
        private func record(_ referralID: String, _ caseWorkerID: String, at time: Date, on connection: PostgresConnection) async throws {
            guard !caseWorkerID.isEmpty, let id = ReferralID(referralID) else { return }
            try await connection.query(
                """
                INSERT INTO case_worker_assignments (referral_id, case_worker_id, assigned_at) VALUES ($1, $2, $3)
                ON CONFLICT (referral_id) DO UPDATE SET case_worker_id = excluded.case_worker_id, assigned_at = excluded.assigned_at
                """,
                [id, caseWorkerID, time]
            )
        }
    }
}
