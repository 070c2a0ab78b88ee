import Crypto
import Foundation
import LayarDomain
import GRPCCore
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

@testable import LayarIntake

/// Intake's storage against the real PostgreSQL server, each test in a scratch schema.
@Suite("Intake store")
struct IntakeStoreTests {
    /// A scratch schema and a store on a test clock that starts at the real now: what a test
    /// checks depends on how the clock moves, never on the day the suite runs.
    static func prepare() async throws -> (ScratchDatabase, IntakeStore, TestClock) {
        let database = try await TestEnvironment.scratchDatabase(maximumConnections: 6)
        try await PostgresMigrator(migrations: IntakeMigrations.all, logger: TestEnvironment.logger).migrate(database.pool)
        let clock = TestClock()
        let store = IntakeStore(pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock.clock), clock: clock.clock)
        return (database, store, clock)
    }

    /// The payload of the outbox's event of `type`, opened as the relay opens it.
    static func outboxPayload(_ store: IntakeStore, _ type: String) async throws -> [UInt8] {
        let row = try #require(try await store.pool.query("SELECT payload FROM outbox WHERE event_type = $1", [type]).first)
        let sealed = try row.decode([UInt8].self, "payload")
        return try store.cipher.open(sealed, Outbox.payloadField)
    }

    static func count(_ database: ScratchDatabase, _ sql: StaticString, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        try #require(try await database.pool.query(sql, parameters).first).decode(Int.self, "n")
    }

    /// The applicant's key to a submission: the code and PIN it was answered.
    static func key(_ submission: IntakeStore.Submission) -> Layar_V1_TrackingKey {
        .with {
            $0.trackingCode = submission.trackingCode
            $0.pin = submission.trackingPIN
        }
    }

    @Test("retries with one request id, even concurrent, store one referral")
    func idempotentRetry() async throws {
        let (database, store, _) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let requestID = UUID()
        let answers = try await withThrowingTaskGroup(of: IntakeStore.Submission.self) { group in
            for _ in 0..<8 { group.addTask { try await store.submit(form, requestID: requestID) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.map(\.referralID)).count == 1)
        #expect(answers.allSatisfy { !$0.linkedToExisting })
        let again = try await store.submit(form, requestID: requestID)
        #expect(again == (try #require(answers.first)))
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM referrals") == 1)
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM outbox") == 2)
        try await database.drop()
    }

    @Test("a request id used again with another form is refused, and nothing of either form is added")
    func requestIDBoundToForm() async throws {
        let (database, store, _) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let requestID = UUID()
        let first = try await store.submit(form, requestID: requestID)
        // Another person's form under the same key (a form page served from a cache), and the same
        // person's form with a changed field: neither is the retry of the first.
        var changed = form
        changed.description_p += " (diubah)"
        for other in [SampleReferral.uniqueForm(), changed] {
            await #expect(throws: IntakeStore.RequestReused.self) { try await store.submit(other, requestID: requestID) }
        }
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM referrals") == 1)
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM linked_submissions") == 0)
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM outbox") == 2)
        // The first form's retry still answers as before.
        #expect(try await store.submit(form, requestID: requestID) == first)

        // A linked submission's key is bound the same way.
        let linkedID = UUID()
        var sameNIK = SampleReferral.uniqueForm()
        sameNIK.person.nik = form.person.nik
        sameNIK.person.birthDate = form.person.birthDate
        #expect(try await store.submit(sameNIK, requestID: linkedID).linkedToExisting)
        await #expect(throws: IntakeStore.RequestReused.self) { try await store.submit(SampleReferral.uniqueForm(), requestID: linkedID) }
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM referrals") == 1)
        try await database.drop()
    }

    @Test("a walk-in is the signed-in operator's: refused without a token or the operator role, recorded under the token's name")
    func walkInNeedsTheOperator() async throws {
        let (database, store, _) = try await Self.prepare()
        let api = IntakeAPI(store: store)
        func submit(as identity: StaffIdentity?) async throws -> Layar_V1_SubmitReferralResponse {
            var form = SampleReferral.uniqueForm()
            form.channel = .operator
            let request = Layar_V1_SubmitReferralRequest.with { $0.form = form }
            return try await StaffIdentity.$current.withValue(identity) {
                try await api.submitReferral(request: request, context: ServerContextStub.context)
            }
        }
        let anonymous = await #expect(throws: RPCError.self) { try await submit(as: nil) }
        #expect(anonymous?.code == .unauthenticated)
        let verifier = await #expect(throws: RPCError.self) { try await submit(as: StaffIdentity(username: "ver.rina", roles: [.verifier])) }
        #expect(verifier?.code == .permissionDenied)
        let budi = StaffIdentity(username: "op.budi", roles: [.operator])
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM referrals") == 0)
        let accepted = try await submit(as: budi)
        let stored = try #require(try await database.pool.query(
            "SELECT operator_id FROM referrals WHERE id = $1", [UUID(uuidString: accepted.referralID)!]
        ).first)
        #expect(try stored.decode(String.self, "operator_id") == "op.budi")
        try await database.drop()
    }

    @Test("a second submission for a person with an open referral is linked to it, answered like a new one, and opens nothing of the first")
    func duplicateNIK() async throws {
        let (database, store, _) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let first = try await store.submit(form, requestID: UUID())
        // A stranger who knows the NIK (and so the birth date and sex) submits any form with it.
        var stranger = SampleReferral.uniqueForm()
        stranger.person.nik = form.person.nik
        stranger.person.birthDate = form.person.birthDate
        let second = try await store.submit(stranger, requestID: UUID())
        #expect(second.linkedToExisting)
        #expect(second.referralID != first.referralID && second.trackingCode != first.trackingCode)
        #expect(TrackingCode.isWellFormed(second.trackingCode) && TrackingPIN.isWellFormed(second.trackingPIN))
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM referrals") == 1)
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM linked_submissions") == 1)
        // Their code and PIN open their own submission only: submitted, nothing of the first.
        let theirs = try await store.statusView(Self.key(second))
        #expect(theirs.trackingCode == second.trackingCode && theirs.status == .submitted && theirs.timeline.map(\.status) == [.submitted])
        await #expect(throws: IntakeStore.TrackingError.notAllowed(.submitted)) {
            try await store.addDocuments([SampleReferral.document(.kk)], key: Self.key(second))
        }
        // Withdrawing withdraws their submission, never the first referral.
        #expect(try await store.withdraw(Self.key(second), reason: "").status == .withdrawn)
        #expect(try await store.statusView(Self.key(first)).status == .submitted)
        // The first applicant is told; the second is acknowledged under their own id.
        let told = try Layar_V1_DuplicateSubmitted(serializedBytes: try await Self.outboxPayload(store, Layar_V1_DuplicateSubmitted.eventType))
        #expect(told.referralID == first.referralID.description)
        let acknowledged = try Layar_V1_LinkedSubmissionReceived(
            serializedBytes: try await Self.outboxPayload(store, Layar_V1_LinkedSubmissionReceived.eventType)
        )
        #expect(acknowledged.referralID == second.referralID.description)
        // Staff see the link on the referral, and find it by either code.
        let summary = try #require(try await store.summary(.trackingCode(second.trackingCode)))
        #expect(summary.referralID == first.referralID.description)
        #expect(summary.linkedSubmissions.map(\.trackingCode) == [second.trackingCode])
        // Once the first is closed (withdrawn), a new referral may be opened for the person.
        _ = try await store.withdraw(Self.key(first), reason: "salah isi")
        let third = try await store.submit(form, requestID: nil)
        #expect(!third.linkedToExisting && third.referralID != first.referralID)
        try await database.drop()
    }

    @Test("documents are stored with their sniffed type and SHA-256; events carry metadata only")
    func documents() async throws {
        let (database, store, _) = try await Self.prepare()
        let form = SampleReferral.uniqueForm(documents: [
            SampleReferral.document(.ktp), SampleReferral.document(.medicalLetter, SampleReferral.pdf, name: "surat.jpg"),
        ])
        let stored = try await store.submit(form, requestID: nil)
        let rows = try await database.pool.query(
            """
            SELECT media_type, sha256, position($2::bytea IN content) AS plain_at FROM documents
            WHERE referral_id = $1 ORDER BY kind
            """, [stored.referralID, Array(SampleReferral.pdf.prefix(32))])
        #expect(try rows.map { try $0.decode(String.self, "media_type") } == ["image/jpeg", "application/pdf"])
        #expect(try rows.map { try $0.decode(String.self, "sha256") } == form.documents.map {
            SHA256.hash(data: $0.content).map { String(format: "%02x", $0) }.joined()
        })
        #expect(try rows.allSatisfy { try $0.decode(Int.self, "plain_at") == 0 }, "document bytes are sealed at rest")
        let payload = try await Self.outboxPayload(store, Layar_V1_ReferralSubmitted.eventType)
        let event = try Layar_V1_ReferralSubmitted(serializedBytes: payload)
        #expect(event.documents.map(\.mediaType) == ["image/jpeg", "application/pdf"])
        #expect(event.documents.allSatisfy { $0.sha256.count == 64 && $0.sizeBytes > 0 })
        #expect(payload.count < 1000, "no document content in the event")
        // Staff see the list on the summary (one submission's documents by kind) and fetch one document's bytes.
        let summary = try #require(try await store.summary(.id(stored.referralID)))
        #expect(summary.documents.map(\.kind) == [.ktp, .medicalLetter])
        let pdf = try #require(summary.documents.last)
        let documentID = try #require(DocumentID(pdf.documentID))
        let fetched = try #require(try await store.document(documentID, of: stored.referralID))
        #expect(Array(fetched.content) == SampleReferral.pdf && fetched.info.mediaType == "application/pdf")
        #expect(try await store.document(documentID, of: ReferralID()) == nil)
        try await database.drop()
    }

    @Test("tracking needs the PIN answered with the code, not anything the NIK gives away, and wrong guesses are throttled")
    func tracking() async throws {
        let (database, store, clock) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let stored = try await store.submit(form, requestID: nil)
        var lowercased = Self.key(stored)
        lowercased.trackingCode = stored.trackingCode.lowercased()
        let view = try await store.statusView(lowercased)
        #expect(view.status == .submitted)
        #expect(view.timeline.map(\.status) == [.submitted])
        #expect(view.documents.count == 1)

        var wrong = Self.key(stored)
        wrong.pin = stored.trackingPIN == "000000" ? "000001" : "000000"
        for _ in 0..<IntakeStore.maximumFailures {
            await #expect(throws: IntakeStore.TrackingError.notFound) { try await store.statusView(wrong) }
        }
        // Now even the right PIN is refused for a while.
        await #expect(throws: IntakeStore.TrackingError.throttled) {
            try await store.statusView(Self.key(stored))
        }
        // ...but not after the window.
        clock.advance(Double(IntakeStore.throttleWindowSeconds + 1))
        #expect(try await store.statusView(Self.key(stored)).status == .submitted)
        try await database.drop()
    }

    @Test("documents can be added only when asked for; the referral then returns to verification")
    func addDocumentsLoop() async throws {
        let (database, store, clock) = try await Self.prepare()
        let form = SampleReferral.uniqueForm(documents: [])
        let stored = try await store.submit(form, requestID: nil)
        let key = Self.key(stored)
        await #expect(throws: IntakeStore.TrackingError.notAllowed(.submitted)) {
            try await store.addDocuments([SampleReferral.document(.ktp)], key: key)
        }
        try await database.pool.withTransaction { connection in
            try await store.advance(
                stored.referralID.description, to: .needsDocuments, explanation: "perlu KTP", missingDocuments: [.ktp, .kk],
                at: clock.now, on: connection
            )
        }
        let asked = try await store.statusView(key)
        #expect(asked.status == .needsDocuments && asked.missingDocuments == [.ktp, .kk])

        let answered = try await store.addDocuments([SampleReferral.document(.kk)], key: key)
        #expect(answered.status == .submitted)
        #expect(answered.missingDocuments.isEmpty)
        #expect(answered.timeline.map(\.status) == [.submitted, .needsDocuments, .submitted])
        let payload = try await Self.outboxPayload(store, Layar_V1_ReferralDocumentsAdded.eventType)
        let event = try Layar_V1_ReferralDocumentsAdded(serializedBytes: payload)
        #expect(event.allDocuments.map(\.kind) == [.kk])
        try await database.drop()
    }

    @Test("a withdrawn referral stays withdrawn whatever arrives later")
    func withdrawal() async throws {
        let (database, store, clock) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let stored = try await store.submit(form, requestID: nil)
        let key = Self.key(stored)
        let view = try await store.withdraw(key, reason: "sudah ditangani keluarga")
        #expect(view.status == .withdrawn)
        await #expect(throws: IntakeStore.TrackingError.notAllowed(.withdrawn)) {
            try await store.withdraw(key, reason: "")
        }
        try await database.pool.withTransaction { connection in
            try await store.advance(stored.referralID.description, to: .assigned, explanation: "", at: clock.now, on: connection)
        }
        #expect(try await store.statusView(key).status == .withdrawn)
        #expect(try await Self.count(
            database, "SELECT count(*) AS n FROM outbox WHERE event_type = $1", [Layar_V1_ReferralWithdrawn.eventType]
        ) == 1)
        try await database.drop()
    }

    @Test("retention anonymises closed referrals past their period, once, and announces it to the other services")
    func retention() async throws {
        let (database, store, clock) = try await Self.prepare()
        let closedForm = SampleReferral.uniqueForm()
        let closed = try await store.submit(closedForm, requestID: nil)
        let linked = try await store.submit(closedForm, requestID: nil)  // its applicant's contact goes too
        _ = try await store.withdraw(Self.key(closed), reason: "")
        clock.advance(1)
        let open = try await store.submit(SampleReferral.uniqueForm(), requestID: nil)
        #expect(try await store.openRetentionRequest(closedBefore: clock.now.addingTimeInterval(-60), now: clock.now) == nil, "not due yet")

        let request = try #require(try await store.openRetentionRequest(closedBefore: clock.now.addingTimeInterval(60), now: clock.now))
        #expect(request.kind == .retention && request.openedBy == "retention")
        #expect(request.referralIds == [closed.referralID.description], "the open referral keeps its data")
        #expect(try await store.openRetentionRequest(closedBefore: clock.now.addingTimeInterval(60), now: clock.now) == nil, "done once")

        let rows = try await database.pool.query(
            "SELECT id, form, desa_code, birth_date::text AS birth, anonymised_at IS NOT NULL AS anonymised FROM referrals ORDER BY submitted_at"
        )
        try #require(rows.count == 2)
        let kept = try store.openForm(try rows[0].decode([UInt8].self, "form"))
        #expect(kept.person.fullName.isEmpty && kept.person.nik.isEmpty && kept.applicant.phone.isEmpty && kept.description_p.isEmpty)
        #expect(kept.ppksKind == closedForm.ppksKind && kept.person.address.kecamatanCode == closedForm.person.address.kecamatanCode)
        #expect(try rows[0].decode(String.self, "desa_code") == "" && rows[0].decode(String.self, "birth") == "\(closedForm.person.birthDate.year)-01-01", "the year stays for age groups")
        #expect(try rows.map { try $0.decode(Bool.self, "anonymised") } == [true, false])
        #expect(try store.openForm(try rows[1].decode([UInt8].self, "form")).person.fullName == "Siti Aminah")
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM documents WHERE referral_id = $1", [closed.referralID]) == 0)
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM documents WHERE referral_id = $1", [open.referralID]) == 1)
        // The NIK no longer finds the closed referral: the person's new referral starts afresh.
        #expect(try await store.submit(closedForm, requestID: nil).linkedToExisting == false)

        let announced = try Layar_V1_DataSubjectRequested(
            serializedBytes: try await Self.outboxPayload(store, Layar_V1_DataSubjectRequested.eventType)
        )
        #expect(announced.kind == .retention && announced.trackingCodes == [closed.trackingCode])
        #expect(announced.referralIds == request.referralIds + [linked.referralID.description])
        #expect(try await Self.count(database, "SELECT count(*) AS n FROM linked_submissions") == 0)
        try await database.drop()
    }

    @Test("statuses only move forward when events arrive out of order")
    func outOfOrder() async throws {
        let (database, store, clock) = try await Self.prepare()
        let form = SampleReferral.uniqueForm()
        let stored = try await store.submit(form, requestID: nil)
        let now = clock.now
        try await database.pool.withTransaction { connection in
            try await store.advance(
                stored.referralID.description, to: .assigned, explanation: "a", caseWorkerName: "Yusuf", at: now.addingTimeInterval(2),
                on: connection
            )
            try await store.advance(stored.referralID.description, to: .verified, explanation: "v", at: now.addingTimeInterval(1), on: connection)
        }
        let view = try await store.statusView(Self.key(stored))
        #expect(view.status == .assigned)
        #expect(view.timeline.map(\.status) == [.submitted, .verified, .assigned])
        try await database.drop()
    }
}
