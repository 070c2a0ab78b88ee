import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// The only place with the SQL of cases, offers and their ledger. Every change locks the case
/// row, checks the workflow allows it, writes the new state, a ledger entry and the outbox event
/// in one transaction. Split by concern over the `CaseStore+…` files.
struct CaseStore: Sendable {
    let pool: PostgresPool
    let cipher: PersonalDataCipher
    /// When actions, sweeps and capacity updates happen (and the outbox's stamps).
    let clock: LayarClock
    var deadlines = DeadlinePolicy()
    /// Named in offers as the office to contact.
    var officeContact = "Dinas Sosial Kabupaten Balangan"

    var outbox: Outbox { Outbox(cipher: cipher, clock: clock) }
    var ledger: CaseLedger { CaseLedger(outbox: outbox) }
}

/// Why a case action cannot be taken; the API turns each into a gRPC status.
enum CaseActionError: Error, Equatable {
    /// No case for the referral (NOT_FOUND).
    case caseNotFound
    /// No such offer for this institution (NOT_FOUND): also what another agency's offer looks like.
    case offerNotFound
    /// The workflow does not allow the action now (FAILED_PRECONDITION), in Bahasa Indonesia.
    case notAllowed(String)
    /// A request field names something that does not fit (INVALID_ARGUMENT with the field).
    case invalidField(field: String, message: String)
}

/// A case row, locked for the transaction that changes it.
struct CaseRecord: Sendable {
    var id: UUID
    var referralID: String
    var state: CaseState
    var workerID: String?
    var kecamatanCode: String
    var ppksKind: String
    var priority: Int32
    var urgency: Int32
    var route: Layar_V1_CaseRoute
    var service: Int32

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, "id")
        referralID = try row.decode(String.self, "referral_id")
        guard let state = CaseState(rawValue: try row.decode(String.self, "status")) else {
            throw PostgresError(kind: .decoding, message: "unknown case status")
        }
        self.state = state
        workerID = try row.decode(String?.self, "case_worker_id")
        kecamatanCode = try row.decode(String.self, "kecamatan_code")
        ppksKind = try row.decode(String.self, "ppks_kind")
        priority = try row.decode(Int32.self, "priority")
        urgency = try row.decode(Int32.self, "urgency")
        switch try row.decode(String?.self, "route") {
        case "serve_locally": route = .serveLocally
        case "refer": route = .refer
        default: route = .unspecified
        }
        service = try row.decode(Int32.self, "service")
    }

    /// Throws ``CaseActionError/notAllowed(_:)`` unless the case is in one of `states`.
    func require(_ states: Set<CaseState>, toDo action: String) throws {
        guard states.contains(state) else {
            throw CaseActionError.notAllowed("Kasus yang \(state.label) tidak dapat \(action)")
        }
    }
}

extension CaseStore {
    /// Locks the case of a referral (`FOR UPDATE`).
    func lockCase(referralID: ReferralID, on connection: PostgresConnection) async throws -> CaseRecord {
        let rows = try await connection.query(
            """
            SELECT id, referral_id, status, case_worker_id, kecamatan_code, ppks_kind, priority, urgency, route, service
            FROM cases WHERE referral_id = $1 FOR UPDATE
            """, [referralID])
        guard let row = rows.first else { throw CaseActionError.caseNotFound }
        return try CaseRecord(row: row)
    }

    /// Locks a case by its id (`FOR UPDATE`).
    func lockCase(id: UUID, on connection: PostgresConnection) async throws -> CaseRecord {
        let rows = try await connection.query(
            """
            SELECT id, referral_id, status, case_worker_id, kecamatan_code, ppks_kind, priority, urgency, route, service
            FROM cases WHERE id = $1 FOR UPDATE
            """, [id])
        guard let row = rows.first else { throw CaseActionError.caseNotFound }
        return try CaseRecord(row: row)
    }

    /// Moves a case to `state` (the caller checked the workflow allows it) and records the change
    /// in the ledger as `type`, announced as `CaseTransitioned` unless `announce` is false.
    func move(
        _ record: inout CaseRecord, to state: CaseState, as type: Layar_V1_TransitionType, fromParty: String = "",
        toParty: String = "", reason: String = "", declineReason: Layar_V1_DeclineReason = .unspecified, actor: String, at time: Date,
        announce: Bool = true, institutionCode: String = "", offerID: OfferID? = nil, on connection: PostgresConnection
    ) async throws {
        let from = record.state
        try await connection.query("UPDATE cases SET status = $2 WHERE id = $1", [record.id, state.rawValue])
        record.state = state
        if from.isOpen && !state.isOpen, let worker = record.workerID {
            try await connection.query("UPDATE case_workers SET open_cases = open_cases - 1 WHERE id = $1", [worker])
        }
        try await ledger.record(
            .init(
                type: type, from: from, to: state, fromParty: fromParty, toParty: toParty, reason: reason, actor: actor,
                at: time, declineReason: declineReason
            ),
            for: record, announce: announce, institutionCode: institutionCode, offerID: offerID, on: connection
        )
    }
}
