import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with verification's SQL: subjects and their state, the queue, the decision
/// ledger and the events each decision emits (through the outbox, in the same transaction).
struct VerificationStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    let cipher: PersonalDataCipher
    /// When checks run and decisions are taken (and the outbox's stamps).
    let clock: LayarClock
    var registry: RegistryLookup { RegistryLookup(cipher: cipher) }

    init(pool: PostgresPool, cipher: PersonalDataCipher, clock: LayarClock) {
        self.pool = pool
        self.outbox = Outbox(cipher: cipher, clock: clock)
        self.cipher = cipher
        self.clock = clock
    }

    /// Remembers a submitted referral; false when it was already known.
    func saveSubject(_ submitted: Layar_V1_ReferralSubmitted, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            INSERT INTO subjects (referral_id, submitted, document_kinds, nik_index, tracking_code, kecamatan_code, ppks_kind)
            VALUES ($1::uuid, $2, $3::integer[], $4, $5, $6, $7) ON CONFLICT (referral_id) DO NOTHING
            """,
            [
                submitted.referralID, cipher.seal(try submitted.serializedBytes() as [UInt8], .submittedReferral),
                PostgresTextArray(enumValues: submitted.documents.map(\.kind)), cipher.blindIndex(submitted.nik, .nik),
                submitted.trackingCode,
                submitted.kecamatanCode, submitted.ppksKind,
            ]
        ).affectedRows == 1
    }

    /// A subject, locked for the caller's transaction.
    struct Stored: Sendable {
        var submitted: Layar_V1_ReferralSubmitted
        var subject: ReferralChecks.Subject
        var state: VerificationState
        var proposedBy: String
        var proposedReason: Layar_V1_RejectionReason
        var proposedNote: String
    }

    func subject(_ referralID: String, on connection: PostgresConnection) async throws -> Stored? {
        guard let row = try await connection.query(
            """
            SELECT submitted, document_kinds, state, proposed_by, proposed_reason, proposed_note FROM subjects
            WHERE referral_id = $1::uuid FOR UPDATE
            """, [referralID]
        ).first else { return nil }
        let submitted = try openSubmitted(row)
        var subject = ReferralChecks.Subject(submitted)
        subject.documentKinds = Set(try row.decode(PostgresTextArray.self, "document_kinds").enumValues(Layar_V1_DocumentKind.self))
        return Stored(
            submitted: submitted, subject: subject, state: try Self.state(row, "state"),
            proposedBy: try row.decode(String.self, "proposed_by"),
            proposedReason: Layar_V1_RejectionReason(rawValue: try row.decode(Int.self, "proposed_reason")) ?? .unspecified,
            proposedNote: try row.decode(String.self, "proposed_note")
        )
    }

    func updateDocuments(_ referralID: String, _ documents: [Layar_V1_DocumentInfo], on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE subjects SET document_kinds = $2::integer[] WHERE referral_id = $1::uuid",
            [referralID, PostgresTextArray(enumValues: documents.map(\.kind))]
        )
    }

    func setState(_ referralID: String, _ state: VerificationState, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE subjects SET state = $2 WHERE referral_id = $1::uuid", [referralID, state.rawValue])
    }

    /// What the checks need besides the referral: the registry, other open cases, the checklist.
    func context(for subject: ReferralChecks.Subject, referralID: String, on connection: PostgresConnection) async throws -> ReferralChecks.Context {
        let loaded = try await connection.query("SELECT 1 FROM registry_snapshots WHERE active").isEmpty == false
        // Without a NIK there is nothing to look up: no registry row, no other case by the NIK
        // (intake's fuzzy match stands in for the latter).
        let byNIK = !subject.identityUnknown
        let match = loaded && byNIK ? try await registry.person(nik: subject.nik, on: connection) : nil
        let openElsewhere = byNIK ? try await connection.query(
            """
            SELECT 1 FROM subjects WHERE nik_index = $1 AND referral_id <> $2::uuid
                AND state NOT IN ('rejected', 'withdrawn', 'completed') LIMIT 1
            """, [cipher.blindIndex(subject.nik, .nik), referralID]).isEmpty == false : false
        let requirements = try await connection.query(
            "SELECT ppks_kind, need, child, any_of, description FROM document_requirements ORDER BY id"
        ).map { row in
            ReferralChecks.DocumentRequirement(
                ppksKind: try row.decode(String?.self, "ppks_kind"),
                need: try row.decode(Int?.self, "need").flatMap(Layar_V1_Need.init(rawValue:)),
                child: try row.decode(Bool?.self, "child"),
                anyOf: try row.decode(PostgresTextArray.self, "any_of").enumValues(),
                description: try row.decode(String.self, "description")
            )
        }
        return ReferralChecks.Context(
            registry: match, registryLoaded: loaded, openCaseElsewhere: openElsewhere, requirements: requirements
        )
    }

    /// Stores the checks' result and carries out its outcome.
    func apply(_ result: ReferralChecks.Result, to stored: Stored, at time: Date, on connection: PostgresConnection) async throws {
        let referralID = stored.submitted.referralID
        let checks: [UInt8] = try Layar_V1_VerificationCase.with { $0.checks = result.checks }.serializedBytes()
        try await connection.query(
            "UPDATE subjects SET checks = $2, priority = $3, registry_proposal = $4 WHERE referral_id = $1::uuid",
            [referralID, checks, result.priority, result.registryProposal]
        )
        switch result.outcome {
        case .verified:
            try await verify(stored, result: result, actor: "system", note: "", action: .autoVerified, at: time, on: connection)
        case .informationRequested(let missing, let message):
            try await requestInformation(stored, missing: missing, message: message, actor: "system", at: time, on: connection)
        case .queued:
            try await connection.query(
                "UPDATE subjects SET state = 'queued', queued_at = coalesce(queued_at, $2) WHERE referral_id = $1::uuid",
                [referralID, time]
            )
            try await record(referralID, outcome: .queued, action: .queued, actor: "system",
                             note: result.failedChecks.map(\.code).joined(separator: ", "), priority: result.priority, at: time, on: connection)
            try await outbox.append(Layar_V1_ReferralQueued.with {
                $0.referralID = referralID
                $0.priority = result.priority
                $0.failedCheckNames = result.failedChecks
                $0.failedChecks = result.failedChecks.map(\.code)  // for readers of the text field, until it is retired
                $0.queuedAt = Google_Protobuf_Timestamp(date: time)
            }, on: connection, at: time)
        }
    }

    func verify(
        _ stored: Stored, result: ReferralChecks.Result?, actor: String, note: String, action: VerificationAction, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let submitted = stored.submitted
        let checks = try await checks(of: submitted.referralID, on: connection)
        let registryCheck = checks.first { $0.checkName == .registry }
        let decile = result?.decile ?? registryCheck.flatMap { Int($0.evidence["decile"] ?? "") }
        let inRegistry = registryCheck?.passed ?? false
        let row = try await connection.query(
            "SELECT priority, registry_proposal FROM subjects WHERE referral_id = $1::uuid", [submitted.referralID]
        ).first!
        let priority = try row.decode(Int32.self, "priority")
        try await setState(submitted.referralID, .verified, on: connection)
        try await record(submitted.referralID, outcome: .verified, action: action, actor: actor, note: note, priority: priority, at: time, on: connection)
        try await outbox.append(Layar_V1_ReferralVerified.with {
            $0.referralID = submitted.referralID
            $0.kecamatanCode = submitted.kecamatanCode
            $0.ppksKind = submitted.ppksKind
            $0.urgency = submitted.urgency
            $0.priority = priority
            $0.verifiedAt = Google_Protobuf_Timestamp(date: time)
            $0.inRegistry = inRegistry
            $0.decile = Int32(decile ?? 0)
        }, on: connection, at: time)
        // Registry loaded but the person is not in it, or a person without a NIK: propose
        // registration (usulan DTSEN), after identification for the latter.
        if try row.decode(Bool.self, "registry_proposal") {
            try await outbox.append(Layar_V1_RegistryProposalRaised.with {
                $0.referralID = submitted.referralID
                $0.kecamatanCode = submitted.kecamatanCode
                $0.desaCode = submitted.desaCode
                $0.raisedAt = Google_Protobuf_Timestamp(date: time)
                $0.identificationNeeded = submitted.identityUnknown
            }, on: connection, at: time)
        }
    }

    func requestInformation(
        _ stored: Stored, missing: [Layar_V1_DocumentKind], message: String, actor: String, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let referralID = stored.submitted.referralID
        try await setState(referralID, .informationRequested, on: connection)
        try await record(referralID, outcome: .informationRequested, action: .informationRequested, actor: actor,
                         note: message, missing: missing, at: time, on: connection)
        try await outbox.append(Layar_V1_ReferralInformationRequested.with {
            $0.referralID = referralID
            $0.missingDocuments = missing
            $0.message = message
            $0.requestedAt = Google_Protobuf_Timestamp(date: time)
        }, on: connection, at: time)
    }

    func proposeRejection(
        _ stored: Stored, reason: Layar_V1_RejectionReason, note: String, actor: String, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let referralID = stored.submitted.referralID
        try await connection.query(
            """
            UPDATE subjects SET state = 'rejection_proposed', proposed_by = $2, proposed_reason = $3, proposed_note = $4
            WHERE referral_id = $1::uuid
            """, [referralID, actor, reason.rawValue, note])
        try await record(referralID, outcome: .rejectionProposed, action: .rejectionProposed, actor: actor, note: note,
                         reason: reason, at: time, on: connection)
        try await outbox.append(Layar_V1_RejectionProposed.with {
            $0.referralID = referralID
            $0.proposedBy = actor
            $0.proposedAt = Google_Protobuf_Timestamp(date: time)
        }, on: connection, at: time)
    }

    func confirmRejection(_ stored: Stored, supervisor: String, note: String, at time: Date, on connection: PostgresConnection) async throws {
        let referralID = stored.submitted.referralID
        try await setState(referralID, .rejected, on: connection)
        try await record(referralID, outcome: .rejected, action: .rejectionConfirmed, actor: supervisor, note: note,
                         reason: stored.proposedReason, at: time, on: connection)
        try await outbox.append(Layar_V1_ReferralRejected.with {
            $0.referralID = referralID
            $0.findings = [.with {
                $0.code = "\(stored.proposedReason)"
                $0.message = stored.proposedNote
            }]
            $0.rejectedAt = Google_Protobuf_Timestamp(date: time)
        }, on: connection, at: time)
    }

    func declineRejection(_ stored: Stored, supervisor: String, note: String, at time: Date, on connection: PostgresConnection) async throws {
        let referralID = stored.submitted.referralID
        try await connection.query(
            "UPDATE subjects SET state = 'queued', proposed_by = '', proposed_reason = 0, proposed_note = '' WHERE referral_id = $1::uuid",
            [referralID]
        )
        try await record(referralID, outcome: .queued, action: .rejectionDeclined, actor: supervisor, note: note, at: time, on: connection)
    }

    private func record(
        _ referralID: String, outcome: VerificationState, action: VerificationAction, actor: String, note: String,
        reason: Layar_V1_RejectionReason = .unspecified, missing: [Layar_V1_DocumentKind] = [], priority: Int32 = 0,
        at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO verifications (referral_id, outcome, finding_codes, finding_messages, priority, decided_at,
                missing_documents, action, actor_id, note, reason)
            VALUES ($1::uuid, $2, '{}', '{}', $3, $4, $5::integer[], $6, $7, $8, $9)
            """,
            [
                referralID, outcome.rawValue, priority, time, PostgresTextArray(enumValues: missing), action.rawValue, actor, note,
                reason.rawValue,
            ]
        )
    }

    /// The referral of a `subjects` row with its `submitted` column.
    func openSubmitted(_ row: PostgresRow) throws -> Layar_V1_ReferralSubmitted {
        try Layar_V1_ReferralSubmitted(serializedBytes: try cipher.open(try row.decode([UInt8].self, "submitted"), .submittedReferral))
    }

    func checks(of referralID: String, on connection: PostgresConnection) async throws -> [Layar_V1_CheckResult] {
        guard let bytes = try await connection.query(
            "SELECT checks FROM subjects WHERE referral_id = $1::uuid", [referralID]
        ).first?.decode([UInt8]?.self, "checks") else { return [] }
        return try Layar_V1_VerificationCase(serializedBytes: bytes).checks
    }

    // MARK: - Reading

    /// The latest decision for a referral.
    func verification(of referralID: ReferralID) async throws -> Layar_V1_Verification? {
        let rows = try await pool.query(
            """
            SELECT referral_id, outcome, finding_codes, finding_messages, priority, decided_at, missing_documents
            FROM verifications WHERE referral_id = $1 ORDER BY id DESC LIMIT 1
            """, [referralID])
        return try rows.first.map { row in
            let codes = try row.decode(PostgresTextArray.self, "finding_codes").elements
            let messages = try row.decode(PostgresTextArray.self, "finding_messages").elements
            return try Layar_V1_Verification.with {
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.outcome = try Self.state(row, "outcome").outcome
                $0.findings = zip(codes, messages).map { code, message in
                    .with {
                        $0.code = code
                        $0.message = message
                    }
                }
                $0.priority = try row.decode(Int32.self, "priority")
                $0.decidedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "decided_at"))
                $0.missingDocuments = try row.decode(PostgresTextArray.self, "missing_documents").enumValues()
            }
        }
    }

    /// A state column read back (the table's CHECK allows only ``VerificationState``'s values).
    static func state(_ row: PostgresRow, _ column: String) throws -> VerificationState {
        let text = try row.decode(String.self, column)
        guard let state = VerificationState(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "unknown verification state '\(text)' in \(column)")
        }
        return state
    }

    func queue(_ filter: Layar_V1_ListQueueRequest, now: Date) async throws -> [Layar_V1_QueueItem] {
        try await pool.query(
            """
            SELECT referral_id, tracking_code, kecamatan_code, ppks_kind, priority, queued_at, state, checks FROM subjects
            WHERE state IN ('queued', 'rejection_proposed') AND ($1 = '' OR kecamatan_code = $1) AND ($2 = '' OR ppks_kind = $2)
                AND priority >= $3 AND queued_at <= $4
            ORDER BY priority DESC, queued_at, referral_id LIMIT 500
            """,
            [filter.kecamatanCode, filter.ppksKind, filter.minPriority, now.addingTimeInterval(-filter.minWaitingHours * 3600)]
        ).map { row in
            let queuedAt = try row.decode(Date.self, "queued_at")
            let checks = try row.decode([UInt8]?.self, "checks").map { try Layar_V1_VerificationCase(serializedBytes: $0).checks } ?? []
            return try Layar_V1_QueueItem.with {
                $0.referralID = try row.decode(String.self, "referral_id")
                $0.trackingCode = try row.decode(String.self, "tracking_code")
                $0.kecamatanCode = try row.decode(String.self, "kecamatan_code")
                $0.ppksKind = try row.decode(String.self, "ppks_kind")
                $0.priority = try row.decode(Int32.self, "priority")
                $0.waitingHours = (now.timeIntervalSince(queuedAt) / 36).rounded() / 100
                $0.state = try Self.state(row, "state").outcome
                $0.failedCheckNames = checks.filter { !$0.passed }.map(\.checkName)
                $0.failedChecks = $0.failedCheckNames.map(\.code)
            }
        }
    }

    func verificationCase(_ referralID: ReferralID) async throws -> Layar_V1_VerificationCase? {
        try await pool.withConnection { try await verificationCase(referralID.description, on: $0) }
    }

    func verificationCase(_ referralID: String, on connection: PostgresConnection) async throws -> Layar_V1_VerificationCase? {
        guard let row = try await connection.query(
            "SELECT submitted, document_kinds, state, priority, checks FROM subjects WHERE referral_id = $1::uuid", [referralID]
        ).first else { return nil }
        let submitted = try openSubmitted(row)
        let decisions = try await connection.query(
            "SELECT action, actor_id, note, reason, decided_at FROM verifications WHERE referral_id = $1::uuid ORDER BY id",
            [referralID]
        ).map { decision in
            try Layar_V1_DecisionRecord.with {
                $0.action = try decision.decode(String.self, "action")
                $0.actorID = try decision.decode(String.self, "actor_id")
                $0.note = try decision.decode(String.self, "note")
                $0.reason = Layar_V1_RejectionReason(rawValue: try decision.decode(Int.self, "reason")) ?? .unspecified
                $0.at = Google_Protobuf_Timestamp(date: try decision.decode(Date.self, "decided_at"))
            }
        }
        let replies = try await applicantReplies(referralID, on: connection)
        return try Layar_V1_VerificationCase.with {
            $0.referralID = referralID
            $0.trackingCode = submitted.trackingCode
            $0.state = try Self.state(row, "state").outcome
            $0.priority = try row.decode(Int32.self, "priority")
            $0.kecamatanCode = submitted.kecamatanCode
            $0.ppksKind = submitted.ppksKind
            $0.isChild = submitted.isChild
            $0.urgency = submitted.urgency
            $0.checks = try row.decode([UInt8]?.self, "checks").map { try Layar_V1_VerificationCase(serializedBytes: $0).checks } ?? []
            $0.decisions = decisions
            $0.documentKinds = try row.decode(PostgresTextArray.self, "document_kinds").enumValues()
            $0.applicantReplies = replies
        }
    }

    func snapshot() async throws -> Layar_V1_RegistrySnapshot? {
        try await pool.query(
            "SELECT id, source, snapshot_date, imported_at, row_count, rejected_count FROM registry_snapshots WHERE active"
        ).first.map { row in
            let date = try row.decode(Date.self, "snapshot_date")
            let day = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            return try Layar_V1_RegistrySnapshot.with {
                $0.snapshotID = try row.decode(Int64.self, "id")
                $0.source = try row.decode(String.self, "source")
                $0.snapshotDate = .with {
                    $0.year = Int32(day.year!)
                    $0.month = Int32(day.month!)
                    $0.day = Int32(day.day!)
                }
                $0.importedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "imported_at"))
                $0.rows = try row.decode(Int32.self, "row_count")
                $0.rejectedRows = try row.decode(Int32.self, "rejected_count")
            }
        }
    }
}
