import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import SwiftProtobuf
import Testing

@testable import LayarAssignment

/// The assignment workflow against the real PostgreSQL server, with injected time: assignment
/// by coverage and load, the closed partner loop, declines, revocation, expiry and deadlines.
@Suite("Assignment workflow")
struct AssignmentWorkflowTests {
    struct Fixture {
        let database: ScratchDatabase
        let cases: CaseStore
        var registry: RegistryStore { RegistryStore(cases: cases) }

        /// Opens the case of a new verified referral; answers the referral id.
        func open(
            kecamatan: String = "63.11.06", ppks: String = "PPKS-09", priority: Int32 = 40, at time: Date
        ) async throws -> ReferralID {
            let referralID = ReferralID()
            let verified = Layar_V1_ReferralVerified.with {
                $0.referralID = referralID.description
                $0.kecamatanCode = kecamatan
                $0.ppksKind = ppks
                $0.priority = priority
                $0.urgency = .urgent
                $0.verifiedAt = Google_Protobuf_Timestamp(date: time)
            }
            let submitted = Layar_V1_ReferralSubmitted.with {
                $0.referralID = verified.referralID
                $0.nik = "6311064101800001"
                $0.birthDate = .with { $0.year = 1980; $0.month = 1; $0.day = 1 }
                $0.sex = .female
                $0.desaCode = "63.11.06.2001"
                $0.needs = [.psychiatricCare]
            }
            try await database.pool.withTransaction { connection in
                try await cases.recordPerson(submitted, on: connection)
                try await cases.openCase(for: verified, at: time, on: connection)
            }
            return referralID
        }

        func worker(_ id: String, covers kecamatan: [String], capacity: Int32) async throws {
            _ = try await registry.upsert(.with {
                $0.id = id
                $0.name = "Pendamping \(id)"
                $0.role = .pekerjaSosial
                $0.kecamatanCodes = kecamatan
                $0.capacity = capacity
                $0.active = true
            }, at: AssignmentWorkflowTests.thursday)
        }

        func caseOf(_ referralID: ReferralID) async throws -> Layar_V1_Case {
            try #require(try await cases.caseView(referralID: referralID))
        }

        /// Outbox rows of one event type, oldest first.
        func outbox(_ type: String) async throws -> [(topic: String, key: String, payload: [UInt8])] {
            try await database.pool.query(
                "SELECT topic, record_key, payload FROM outbox WHERE event_type = $1 ORDER BY id", [type]
            ).map {
                (
                    try $0.decode(String.self, "topic"), try $0.decode(String.self, "record_key"),
                    try cases.cipher.open(try $0.decode([UInt8].self, "payload"), Outbox.payloadField)
                )
            }
        }
    }

    /// Thursday 2026-12-24 10:00 WITA; Friday the 25th is Christmas, and 2027-01-01 a holiday.
    static let thursday = Date(timeIntervalSince1970: 1_798_077_600)
    static let policy = DeadlinePolicy(
        assignmentDays: 1, assessmentDays: 2, partnerAnswerDays: 3,
        calendar: WorkingCalendar(holidayList: "2026-12-25,2027-01-01")!
    )

    static func prepare() async throws -> Fixture {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: AssignmentMigrations.all, logger: TestEnvironment.logger).migrate(database.pool)
        // The seeded case workers step aside: each test names its own.
        try await database.pool.query("UPDATE case_workers SET active = false")
        // Every call below passes its instant; the store's own clock (the outbox's and cipher's)
        // shows the same Thursday.
        let clock = TestClock(thursday).clock
        return Fixture(database: database, cases: CaseStore(
            pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock), clock: clock, deadlines: policy
        ))
    }

    static func refusal<T>(_ body: () async throws -> T) async -> CaseActionError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? CaseActionError
        }
    }

    static func assessment(_ route: Layar_V1_CaseRoute, service: Layar_V1_Need = .psychiatricCare) -> CaseStore.Assessment {
        .init(needs: "Perlu perawatan kejiwaan", plan: "Rujuk ke rumah sakit jiwa", route: route, service: service)
    }

    static func draft(_ institution: String, name: String = "") -> CaseStore.OfferDraft {
        .init(institutionCode: institution, letterNumber: "400.9/123/DINSOS", summary: "Perlu perawatan", personName: name)
    }

    @Test("cases go to the least-loaded worker covering the kecamatan, within capacity; the rest wait by priority")
    func assignmentByCoverageAndLoad() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        try await fixture.worker("PS-A", covers: ["63.11.01"], capacity: 2)
        try await fixture.worker("PS-B", covers: ["63.11.01"], capacity: 1)
        try await fixture.worker("PS-C", covers: ["63.11.02"], capacity: 5)

        var opened: [ReferralID] = []
        for minute in 0..<3 { opened.append(try await fixture.open(kecamatan: "63.11.01", at: t + Double(minute * 60))) }
        let owners = try await opened.asyncMap { try await fixture.caseOf($0).caseWorkerID }
        #expect(owners == ["PS-A", "PS-B", "PS-A"], "least loaded first, ties by id")

        let low = try await fixture.open(kecamatan: "63.11.01", priority: 20, at: t + 300)
        let high = try await fixture.open(kecamatan: "63.11.01", priority: 90, at: t + 360)
        #expect(try await fixture.caseOf(low).status == .unassigned, "PS-A and PS-B are full; PS-C covers another kecamatan")
        #expect(try await fixture.cases.unassignedCases().map(\.referralID) == [high, low].map { $0.description })

        // A case ends: the highest-priority waiting case takes the place.
        let ending = try #require(opened.first)
        _ = try await fixture.cases.close(referralID: ending, reason: "Pindah domisili", actor: "sup-1", at: t + 600)
        #expect(try await fixture.caseOf(high).caseWorkerID == "PS-A")
        #expect(try await fixture.caseOf(low).status == .unassigned)

        // A supervisor cannot give it to a worker outside the kecamatan; extending the coverage assigns it.
        let outside = await Self.refusal {
            try await fixture.cases.reassign(referralID: low, to: "PS-C", reason: "Beban", actor: "sup-1", at: t + 700)
        }
        guard case .invalidField(field: "case_worker_id", _)? = outside else {
            Issue.record("expected a case_worker_id violation, got \(String(describing: outside))")
            return
        }
        try await fixture.worker("PS-C", covers: ["63.11.02", "63.11.01"], capacity: 5)
        #expect(try await fixture.caseOf(low).caseWorkerID == "PS-C")

        // Reassignment to a worker with room: ledger and CaseAssigned name the previous worker.
        try await fixture.worker("PS-B", covers: ["63.11.01"], capacity: 3)
        let moved = try await fixture.cases.reassign(referralID: low, to: "PS-B", reason: "Cuti", actor: "sup-1", at: t + 800)
        #expect(moved.caseWorkerID == "PS-B" && moved.status == .assigned)
        let last = try #require(moved.transitions.last)
        #expect(last.type == .reassigned && last.fromParty == "PS-C" && last.toParty == "PS-B" && last.actor == "sup-1")
        let assigned = try await fixture.outbox(Layar_V1_CaseAssigned.eventType).map {
            try Layar_V1_CaseAssigned(serializedBytes: $0.payload)
        }
        #expect(assigned.last?.previousCaseWorkerID == "PS-C" && assigned.last?.reason == "Cuti")
        let workers = try await fixture.registry.caseWorkers().filter { $0.id.hasPrefix("PS-") && $0.active }
        #expect(workers.map(\.openCases) == [2, 2, 0], "loads of PS-A, PS-B, PS-C")
        try await fixture.database.drop()
    }

    @Test("a caseload: one worker's or one kecamatan's open cases, the nearest deadline first, due-within and ended filters")
    func caseload() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        try await fixture.worker("PS-L", covers: ["63.11.05"], capacity: 5)
        let first = try await fixture.open(kecamatan: "63.11.05", at: t)
        // Assessment due after 2 working days: the first (Thursday; Friday is Christmas) at the end of
        // Tuesday 29 December, the second (Monday 28) at the end of Wednesday 30.
        let second = try await fixture.open(kecamatan: "63.11.05", at: t + 4 * 86_400)
        let waiting = try await fixture.open(kecamatan: "63.11.07", at: t)  // nobody covers Paringin Selatan here
        let ids = { (cases: [Layar_V1_Case]) in cases.map(\.referralID) }
        let mine = try await fixture.cases.caseload(caseWorkerID: "PS-L", kecamatanCode: "", dueWithinDays: 0, includeEnded: false, now: t)
        #expect(ids(mine) == [first, second].map { $0.description }, "the earlier assessment deadline first")
        let area = try await fixture.cases.caseload(caseWorkerID: "", kecamatanCode: "63.11.07", dueWithinDays: 0, includeEnded: false, now: t)
        #expect(ids(area) == [waiting.description])
        // On Monday 28 December at 10:00, within two days (until Wednesday 10:00): only the first.
        let monday = t + 4 * 86_400
        let soon = try await fixture.cases.caseload(caseWorkerID: "PS-L", kecamatanCode: "", dueWithinDays: 2, includeEnded: false, now: monday)
        #expect(ids(soon) == [first.description])
        _ = try await fixture.cases.close(referralID: first, reason: "Meninggal dunia", actor: "sup-1", at: t + 600)
        let open = try await fixture.cases.caseload(caseWorkerID: "PS-L", kecamatanCode: "", dueWithinDays: 0, includeEnded: false, now: t)
        let all = try await fixture.cases.caseload(caseWorkerID: "PS-L", kecamatanCode: "", dueWithinDays: 0, includeEnded: true, now: t)
        #expect(ids(open) == [second.description] && all.count == 2)
        try await fixture.database.drop()
    }

    @Test("offer → accept → admission → outcome → completion, through the institution's own topic")
    func closedLoop() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        try await fixture.worker("PS-A", covers: ["63.11.06"], capacity: 5)
        let referral = try await fixture.open(at: t)
        _ = try await fixture.cases.recordAssessment(referralID: referral, Self.assessment(.refer), actor: "ps-a", at: t + 60)

        let suggested = try await fixture.cases.suggestInstitutions(referralID: referral).map(\.code)
        #expect(suggested == ["RSJ-SAMBANG-LIHUM"], "PPKS-09 with psychiatric care")

        let noName = await Self.refusal {
            try await fixture.cases.sendOffer(referralID: referral, Self.draft("RSJ-SAMBANG-LIHUM"), actor: "ps-a", at: t + 120)
        }
        #expect(noName == .invalidField(field: "person_name", message: "Nama wajib diisi karena lembaga ini memerlukan identitas"))
        let offered = try await fixture.cases.sendOffer(
            referralID: referral, Self.draft("RSJ-SAMBANG-LIHUM", name: "Siti Aminah"), actor: "ps-a", at: t + 120
        )
        #expect(offered.status == .offered)
        let offerID = try #require(offered.offers.first?.offerID)

        let published = try #require(try await fixture.outbox(Layar_Partner_V1_ReferralOffer.eventType).first)
        #expect(published.topic == "layar.partner.rsj-sambang-lihum.referrals.v1")
        #expect(published.key == offerID)
        let offer = try Layar_Partner_V1_ReferralOffer(serializedBytes: published.payload)
        #expect(offer.nik == "6311064101800001" && offer.personName == "Siti Aminah", "a hospital identifies the person")
        #expect(offer.ageYears == 46 && offer.sex == "FEMALE" && offer.needs == ["PSYCHIATRIC_CARE"] && offer.urgency == "URGENT")
        #expect(offer.kecamatanName == "Paringin" && offer.caseWorkerName == "Pendamping PS-A")
        // Three working days after Thursday the 24th: Monday 28, Tuesday 29, Wednesday 30 (25th a holiday).
        #expect(offer.answerDueAt.date == CivilDate(year: 2026, month: 12, day: 31).startInBalangan)

        // Another agency neither sees nor answers it.
        let offerKey = try #require(OfferID(offerID))
        #expect(try await fixture.cases.partnerOffers(institutionCode: "BNNK-BALANGAN").isEmpty)
        let foreign = await Self.refusal {
            try await fixture.cases.answerOffer(offerKey, institutionCode: "BNNK-BALANGAN", .init(accept: true, reason: .unspecified, note: ""), at: t + 200)
        }
        #expect(foreign == .offerNotFound)

        let accepted = try await fixture.cases.answerOffer(
            offerKey, institutionCode: "RSJ-SAMBANG-LIHUM", .init(accept: true, reason: .unspecified, note: ""), at: t + 300
        )
        #expect(accepted.status == .accepted)
        let again = await Self.refusal {
            try await fixture.cases.answerOffer(offerKey, institutionCode: "RSJ-SAMBANG-LIHUM", .init(accept: false, reason: .noCapacity, note: ""), at: t + 310)
        }
        #expect(again == .notAllowed("Rujukan ini sudah dijawab"))
        let early = await Self.refusal {
            try await fixture.cases.complete(referralID: referral, summary: "Selesai", actor: "ps-a", at: t + 320)
        }
        #expect(early != nil, "no completion before the outcome")

        _ = try await fixture.cases.partnerAdmission(offerKey, institutionCode: "RSJ-SAMBANG-LIHUM", on: CivilDate(year: 2026, month: 12, day: 24), at: t + 400)
        let outcome = try await fixture.cases.partnerOutcome(
            offerKey, institutionCode: "RSJ-SAMBANG-LIHUM", outcome: .gotHelp, note: "Stabil, kembali ke keluarga", at: t + 500
        )
        #expect(outcome.status == .outcomeRecorded && outcome.outcome == .gotHelp)
        let completed = try await fixture.cases.complete(referralID: referral, summary: "Sudah dirawat di RSJ", actor: "ps-a", at: t + 600)
        #expect(completed.status == .completed && completed.serviceOutcome == .gotHelp)
        try #require(completed.transitions.map(\.type) == [
            .opened, .assigned, .assessed, .offered, .accepted, .admitted, .outcomeRecorded, .completed,
        ])
        #expect(completed.transitions[4].actor == "partner:RSJ-SAMBANG-LIHUM")
        let announced = try await fixture.outbox(Layar_V1_CaseTransitioned.eventType).map {
            try Layar_V1_CaseTransitioned(serializedBytes: $0.payload).transition.type
        }
        #expect(announced == [.assessed, .offered, .accepted, .admitted, .outcomeRecorded])
        #expect(try await fixture.outbox(Layar_V1_CaseCompleted.eventType).count == 1)
        try await fixture.database.drop()
    }

    @Test("a decline returns the case to its worker; a re-offer goes elsewhere; a revoked offer is withdrawn")
    func declineAndRevoke() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        try await fixture.worker("PS-A", covers: ["63.11.06"], capacity: 5)
        let referral = try await fixture.open(at: t)
        _ = try await fixture.cases.recordAssessment(
            referralID: referral, Self.assessment(.refer, service: .residentialRehabilitation), actor: "ps-a", at: t
        )
        #expect(try await fixture.cases.suggestInstitutions(referralID: referral).map(\.code).sorted() == [
            "PRS-FAJAR-HARAPAN", "PRSPD-ISKAYA-BANARAN", "SENTRA-BUDI-LUHUR",
        ])
        let first = try await fixture.cases.sendOffer(referralID: referral, Self.draft("PRS-FAJAR-HARAPAN"), actor: "ps-a", at: t + 60)
        let offer = try Layar_Partner_V1_ReferralOffer(
            serializedBytes: try #require(try await fixture.outbox(Layar_Partner_V1_ReferralOffer.eventType).first).payload
        )
        #expect(offer.nik.isEmpty && offer.personName.isEmpty, "a panti does not get the identity with the offer")

        let firstOffer = try #require(first.offers.first)
        let declined = try await fixture.cases.answerOffer(
            try #require(OfferID(firstOffer.offerID)), institutionCode: "PRS-FAJAR-HARAPAN",
            .init(accept: false, reason: .noCapacity, note: ""), at: t + 120
        )
        #expect(declined.status == .declined)
        var view = try await fixture.caseOf(referral)
        #expect(view.status == .assessed && view.offers.first?.declineReason == .noCapacity)
        #expect(view.transitions.last?.type == .declined && view.transitions.last?.reason == "NO_CAPACITY")
        let announcedDecline = try await fixture.outbox(Layar_V1_CaseTransitioned.eventType).map {
            try Layar_V1_CaseTransitioned(serializedBytes: $0.payload).transition
        }.last { $0.type == .declined }
        #expect(announcedDecline?.declineReason == .noCapacity, "the reason travels typed, not only as ledger text")
        #expect(!(try await fixture.cases.suggestInstitutions(referralID: referral).map(\.code).contains("PRS-FAJAR-HARAPAN")))

        _ = try await fixture.cases.sendOffer(referralID: referral, Self.draft("PRSPD-ISKAYA-BANARAN"), actor: "ps-a", at: t + 180)
        view = try await fixture.cases.revokeOffer(referralID: referral, reason: "Keluarga memilih merawat sendiri", actor: "ps-a", at: t + 240)
        try #require(view.offers.map(\.status) == [.declined, .revoked])
        #expect(view.status == .assessed)
        let withdrawn = try #require(try await fixture.outbox(Layar_Partner_V1_ReferralOfferWithdrawn.eventType).first)
        #expect(withdrawn.topic == "layar.partner.prspd-iskaya-banaran.referrals.v1")
        #expect(try Layar_Partner_V1_ReferralOfferWithdrawn(serializedBytes: withdrawn.payload).reason == "REVOKED")
        let late = await Self.refusal {
            try await fixture.cases.answerOffer(try #require(OfferID(view.offers[1].offerID)), institutionCode: "PRSPD-ISKAYA-BANARAN", .init(accept: true, reason: .unspecified, note: ""), at: t + 300)
        }
        #expect(late == .notAllowed("Rujukan ini sudah ditarik oleh Dinas Sosial"))

        // The regency serves it itself instead.
        _ = try await fixture.cases.recordAssessment(referralID: referral, Self.assessment(.serveLocally), actor: "ps-a", at: t + 400)
        _ = try await fixture.cases.recordProgress(referralID: referral, step: .inService, note: "", actor: "ps-a", at: t + 500)
        _ = try await fixture.cases.recordOutcome(referralID: referral, outcome: .gotHelp, note: "", actor: "ps-a", at: t + 600)
        let done = try await fixture.cases.complete(referralID: referral, summary: "Dilayani di rumah", actor: "ps-a", at: t + 700)
        #expect(done.status == .completed)
        try await fixture.database.drop()
    }

    @Test("deadlines count working days around holidays, escalate once, and expire unanswered offers")
    func deadlines() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        func at(_ day: Int, _ hour: Int, month: Int = 12, year: Int = 2026) -> Date {
            CivilDate(year: year, month: month, day: day).startInBalangan + Double(hour * 3600)
        }
        // No worker covers Juai yet: the assignment deadline is the end of Monday the 28th.
        let waiting = try await fixture.open(kecamatan: "63.11.01", at: t)
        #expect(try await fixture.caseOf(waiting).assignDueAt.date == at(29, 0))
        #expect(try await fixture.cases.sweepDeadlines(now: at(28, 23)).total == 0)
        #expect(try await fixture.cases.sweepDeadlines(now: at(29, 0)) == .init(assignmentEscalations: 1))
        #expect(try await fixture.cases.sweepDeadlines(now: at(29, 1)).total == 0, "escalated once")

        // Assigned on Thursday: two working days to assess (Monday, Tuesday).
        try await fixture.worker("PS-A", covers: ["63.11.06"], capacity: 5)
        let assessed = try await fixture.open(at: t)
        #expect(try await fixture.caseOf(assessed).assessDueAt.date == at(30, 0))
        #expect(try await fixture.cases.sweepDeadlines(now: at(30, 0)) == .init(assessmentEscalations: 1))
        let missed = try await fixture.outbox(Layar_V1_CaseDeadlineMissed.eventType).map {
            try Layar_V1_CaseDeadlineMissed(serializedBytes: $0.payload)
        }
        try #require(missed.map(\.deadline) == [.assignment, .assessment])
        #expect(missed[0].referralID == waiting.description && missed[0].caseWorkerID.isEmpty)
        #expect(missed[1].caseWorkerID == "PS-A")

        // An offer sent Wednesday the 30th: Thursday 31, Monday 4, Tuesday 5 (1 January a holiday).
        _ = try await fixture.cases.recordAssessment(referralID: assessed, Self.assessment(.refer), actor: "ps-a", at: at(30, 9))
        let offered = try await fixture.cases.sendOffer(
            referralID: assessed, Self.draft("RSJ-SAMBANG-LIHUM", name: "Siti"), actor: "ps-a", at: at(30, 10)
        )
        try #require(offered.offers.count == 1)
        #expect(offered.offers[0].answerDueAt.date == at(6, 0, month: 1, year: 2027))
        #expect(try await fixture.cases.sweepDeadlines(now: at(5, 23, month: 1, year: 2027)).total == 0)
        #expect(try await fixture.cases.sweepDeadlines(now: at(6, 0, month: 1, year: 2027)) == .init(expiredOffers: 1))
        let view = try await fixture.caseOf(assessed)
        try #require(view.offers.count == 1)
        #expect(view.status == .assessed && view.offers[0].status == .expired)
        #expect(view.transitions.suffix(2).map(\.type) == [.expired, .deadlineMissed])
        let withdrawn = try #require(try await fixture.outbox(Layar_Partner_V1_ReferralOfferWithdrawn.eventType).first)
        #expect(try Layar_Partner_V1_ReferralOfferWithdrawn(serializedBytes: withdrawn.payload).reason == "EXPIRED")
        let partnerMissed = try await fixture.outbox(Layar_V1_CaseDeadlineMissed.eventType).last.map {
            try Layar_V1_CaseDeadlineMissed(serializedBytes: $0.payload)
        }
        #expect(partnerMissed?.deadline == .partnerAnswer && partnerMissed?.institutionCode == "RSJ-SAMBANG-LIHUM")
        let tooLate = await Self.refusal {
            try await fixture.cases.answerOffer(try #require(OfferID(view.offers[0].offerID)), institutionCode: "RSJ-SAMBANG-LIHUM", .init(accept: true, reason: .unspecified, note: ""), at: at(6, 9, month: 1, year: 2027))
        }
        #expect(tooLate == .notAllowed("Rujukan ini sudah kedaluwarsa karena tidak dijawab tepat waktu"))
        try await fixture.database.drop()
    }

    @Test("a withdrawn referral closes its case and withdraws the live offer")
    func withdrawal() async throws {
        let fixture = try await Self.prepare()
        let t = Self.thursday
        try await fixture.worker("PS-A", covers: ["63.11.06"], capacity: 1)
        let referral = try await fixture.open(at: t)
        let waiting = try await fixture.open(at: t + 60)
        _ = try await fixture.cases.recordAssessment(referralID: referral, Self.assessment(.refer), actor: "ps-a", at: t)
        _ = try await fixture.cases.sendOffer(referralID: referral, Self.draft("RSJ-SAMBANG-LIHUM", name: "Siti"), actor: "ps-a", at: t)
        try await fixture.database.pool.withTransaction { connection in
            try await fixture.cases.withdraw(referralID: referral.description, at: t + 120, on: connection)
            try await fixture.cases.withdraw(referralID: referral.description, at: t + 120, on: connection)
        }
        let view = try await fixture.caseOf(referral)
        #expect(view.status == .withdrawn && view.offers.first?.status == .revoked)
        #expect(try await fixture.outbox(Layar_Partner_V1_ReferralOfferWithdrawn.eventType).count == 1)
        #expect(try await fixture.caseOf(waiting).caseWorkerID == "PS-A", "the freed place goes to the waiting case")
        try await fixture.database.drop()
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
