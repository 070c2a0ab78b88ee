import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import LayarVerification
import Testing

@testable import LayarIntake

/// Referrals of people without a NIK or papers: the form's rules, the fuzzy duplicate match
/// (names as Indonesian reporters write them), verification's routing to identification, and
/// intake's storage against the real PostgreSQL server.
@Suite("People without papers")
struct PeopleWithoutPapersTests {
    static let today = CivilDate(year: 2026, month: 11, day: 29)

    static func fields(_ form: Layar_V1_ReferralForm) -> [String] {
        ReferralFormValidator.problems(in: form, today: today).map(\.field)
    }

    @Test("a referral without a NIK needs an estimated age, where the person was found and the applicant's contact; no name is needed")
    func formRules() {
        #expect(Self.fields(SampleReferral.formWithoutNIK()).isEmpty)
        #expect(Self.fields(SampleReferral.formWithoutNIK(name: "")).isEmpty)
        #expect(Self.fields(SampleReferral.formWithoutNIK(estimatedAge: 9)).isEmpty)
        let rules: [(@Sendable (inout Layar_V1_ReferralForm) -> Void, String)] = [
            ({ $0.person.unknownIdentity.foundAt = " " }, "form.person.unknown_identity.found_at"),
            ({ $0.person.unknownIdentity.estimatedAge = 130 }, "form.person.unknown_identity.estimated_age"),
            ({ $0.person.unknownIdentity.estimatedAge = -1 }, "form.person.unknown_identity.estimated_age"),
            ({ $0.person.unknownIdentity.appearance = String(repeating: "a", count: 1001) }, "form.person.unknown_identity.appearance"),
            ({ $0.person.nik = "6311065203580001" }, "form.person.nik"),
            ({ $0.person.birthDate = SampleReferral.defaultBirthDate }, "form.person.birth_date"),
            ({ $0.person.isChild = true }, "form.person.is_child"),
            ({ $0.applicant.phone = ""; $0.applicant.preferredChannel = .none }, "form.applicant.phone"),
        ]
        for (change, field) in rules {
            var form = SampleReferral.formWithoutNIK()
            change(&form)
            #expect(Self.fields(form) == [field])
        }
        // An e-mail is contact enough.
        var byMail = SampleReferral.formWithoutNIK()
        byMail.applicant.phone = ""
        byMail.applicant.email = "tksk@example.org"
        byMail.applicant.preferredChannel = .email
        #expect(Self.fields(byMail).isEmpty)
        // A child found alone still needs a guardian's consent, like any child.
        var child = SampleReferral.formWithoutNIK(estimatedAge: 10)
        child.consent.giver = .family
        #expect(Self.fields(child) == ["form.consent.giver"])
    }

    @Test("names written in the old and new spelling, with titles or nicknames, come out alike; other names do not")
    func nameKeys() throws {
        let alike = [
            ("Bapak Djoko Santoso", "Joko Santoso"), ("Soeparman", "Suparman"), ("Mbah Siti Fatimah", "Siti Fatima"),
            ("Tjahjo", "Cahyo"), ("Chairul Anwar", "Khairul Anwar"), ("Moh. Yusuf", "Muhammad Jusuf"), ("Udin", "Syamsudin"),
            ("Acil Masitah", "masitah"), ("Nyoman", "Njoman"),
        ]
        for (a, b) in alike {
            let similarity = try #require(PersonNameKey(a).similarity(to: PersonNameKey(b)))
            #expect(similarity >= 0.85, "\(a) / \(b): \(similarity)")
        }
        for (a, b) in [("Siti Aminah", "Budi Santoso"), ("Rahmat", "Yanti"), ("Ahmad", "Bambang")] {
            let similarity = try #require(PersonNameKey(a).similarity(to: PersonNameKey(b)))
            #expect(similarity < 0.7, "\(a) / \(b): \(similarity)")
        }
        for unknown in ["", "tidak diketahui", "Pak X", "  -  "] {
            #expect(PersonNameKey(unknown).similarity(to: PersonNameKey("Udin")) == nil, "\(unknown)")
        }
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func profile(
        _ name: String, age: Int = 40, sex: Layar_V1_Sex = .male, desa: String = "63.11.06.1023", kecamatan: String = "63.11.06",
        daysBefore: Double = 2, code: String = "LYR-AAAA-AAAA"
    ) -> DuplicateMatcher.Profile {
        .init(
            referralID: ReferralID(), trackingCode: code, name: name, sex: sex, estimatedAge: age, kecamatanCode: kecamatan,
            desaCode: desa, submittedAt: start.addingTimeInterval(-daysBefore * 86_400)
        )
    }

    @Test("a likely duplicate is proposed with what agrees; a different name, sex or age rules a pair out")
    func matching() throws {
        let new = Self.profile("Djoko", daysBefore: 0)
        let proposals = DuplicateMatcher.possibleDuplicates(of: new, among: [
            Self.profile("Joko", age: 45, code: "LYR-SAME-NAME"),
            Self.profile("", age: 40, daysBefore: 3, code: "LYR-NO-NAME"),
            Self.profile("Bambang", code: "LYR-OTHER-NAME"),
            Self.profile("Joko", sex: .female, code: "LYR-OTHER-SEX"),
            Self.profile("Joko", age: 55, code: "LYR-OTHER-AGE"),
            Self.profile("", age: 43, desa: "63.11.06.1001", daysBefore: 60, code: "LYR-WEAK"),
        ])
        #expect(proposals.map(\.trackingCode) == ["LYR-SAME-NAME", "LYR-NO-NAME"])
        let first = try #require(proposals.first)
        #expect(first.signals == [.similarName, .ageRange, .sameDesa, .closeInTime])
        #expect(first.score > (try #require(proposals.last)).score)
        // Never more than five, the likeliest first.
        let many = (0..<8).map { Self.profile("Joko", age: 40 + $0 % 4, code: "LYR-\($0)") }
        let capped = DuplicateMatcher.possibleDuplicates(of: new, among: many)
        #expect(capped.count == DuplicateMatcher.maximumProposals)
        #expect(capped.map(\.score) == capped.map(\.score).sorted(by: >))
    }

    static let requirements = [
        ReferralChecks.DocumentRequirement(child: false, anyOf: [.ktp, .kk], description: "KTP atau KK"),
        ReferralChecks.DocumentRequirement(child: true, anyOf: [.kk], description: "KK anak"),
        ReferralChecks.DocumentRequirement(need: .psychiatricCare, anyOf: [.medicalLetter], description: "surat dokter"),
    ]

    static func subject(duplicates: [Layar_V1_PossibleDuplicate] = [], needs: [Layar_V1_Need] = [.basicNeeds]) -> ReferralChecks.Subject {
        ReferralChecks.Subject(.with {
            $0.identityUnknown = true
            $0.estimatedAge = 40
            $0.sex = .male
            $0.urgency = .urgent
            $0.needs = needs
            $0.ppksKind = "PPKS-11"
            $0.kecamatanCode = "63.11.06"
            $0.desaCode = "63.11.06.1023"
            $0.possibleDuplicates = duplicates
        })
    }

    static func evaluate(_ subject: ReferralChecks.Subject) -> ReferralChecks.Result {
        ReferralChecks.evaluate(subject, .init(registry: nil, registryLoaded: true, openCaseElsewhere: false, requirements: requirements))
    }

    @Test("verification routes a person without papers to identification and registration, not to a rejection or a request for a KTP")
    func routedToIdentification() throws {
        let result = Self.evaluate(Self.subject())
        #expect(result.outcome == .verified)
        #expect(result.registryProposal)
        #expect(result.failedChecks == [.identification, .registry])
        let identification = try #require(result.checks.first { $0.name == .identification })
        #expect(identification.summary.contains("Dukcapil"))
        #expect(!result.checks.contains { $0.name == .identity || $0.name == .openCase })
        // Papers they cannot bring are not asked for; a doctor's letter for psychiatric care still is.
        let psychiatric = Self.evaluate(Self.subject(needs: [.psychiatricCare]))
        #expect(psychiatric.outcome == .informationRequested(missing: [.medicalLetter], message: "Mohon unggah surat dokter."))
    }

    @Test("a possible duplicate puts the referral before a verifier, naming the other referral, never merging it")
    func duplicateToVerifier() throws {
        let duplicate = Layar_V1_PossibleDuplicate.with {
            $0.referralID = UUID().uuidString.lowercased()
            $0.trackingCode = "LYR-7K3M-Q9TX"
            $0.score = 80
            $0.signals = [.similarName, .sameDesa]
        }
        let result = Self.evaluate(Self.subject(duplicates: [duplicate]))
        #expect(result.outcome == .queued)
        #expect(result.failedChecks.contains(.possibleDuplicate))
        let check = try #require(result.checks.first { $0.name == .possibleDuplicate })
        #expect(check.summary.contains("LYR-7K3M-Q9TX") && check.summary.contains("nama mirip"))
        #expect(check.evidence["tracking_codes"] == "LYR-7K3M-Q9TX")
    }

    @Test("intake stores people without papers apart (no link by an empty NIK), proposes likely duplicates on the event, and tracks them by code and PIN")
    func storedAndMatched() async throws {
        let (database, store, clock) = try await IntakeStoreTests.prepare()
        let first = try await store.submit(SampleReferral.formWithoutNIK(name: "Djoko"), requestID: UUID())
        clock.advance(86_400)
        let second = try await store.submit(SampleReferral.formWithoutNIK(name: "Bapak Joko", estimatedAge: 43), requestID: UUID())
        clock.advance(60)
        let third = try await store.submit(SampleReferral.formWithoutNIK(name: "Siti Aminah", sex: .female), requestID: UUID())
        #expect(![first, second, third].contains { $0.linkedToExisting })
        #expect(try await IntakeStoreTests.count(database, "SELECT count(*) AS n FROM referrals WHERE nik_index IS NULL AND birth_date IS NULL") == 3)
        #expect(try await IntakeStoreTests.count(database, "SELECT count(DISTINCT person_id) AS n FROM referrals") == 3)

        let events = try await Self.submittedEvents(store)
        let (firstEvent, secondEvent, thirdEvent) = (try #require(events[first.referralID]), try #require(events[second.referralID]), try #require(events[third.referralID]))
        #expect(firstEvent.identityUnknown && firstEvent.estimatedAge == 40 && firstEvent.nik.isEmpty && !firstEvent.hasBirthDate)
        #expect(firstEvent.possibleDuplicates.isEmpty && thirdEvent.possibleDuplicates.isEmpty)
        let proposal = try #require(secondEvent.possibleDuplicates.first)
        #expect(secondEvent.possibleDuplicates.count == 1)
        #expect(proposal.referralID == first.referralID.description && proposal.trackingCode == first.trackingCode)
        #expect(proposal.signals.contains(.similarName) && proposal.signals.contains(.sameDesa))

        // The name is sealed at rest; the applicant follows the referral with code and PIN alone.
        #expect(try await IntakeStoreTests.count(database, "SELECT count(*) AS n FROM referrals WHERE position('Joko'::bytea IN match_name) > 0") == 0)
        let view = try await store.statusView(IntakeStoreTests.key(second))
        #expect(view.status == .submitted && view.trackingCode == second.trackingCode)
        try await database.drop()
    }

    static func submittedEvents(_ store: IntakeStore) async throws -> [ReferralID: Layar_V1_ReferralSubmitted] {
        var events: [ReferralID: Layar_V1_ReferralSubmitted] = [:]
        for row in try await store.pool.query("SELECT payload FROM outbox WHERE event_type = $1", [Layar_V1_ReferralSubmitted.eventType]) {
            let event = try Layar_V1_ReferralSubmitted(serializedBytes: try store.cipher.open(try row.decode([UInt8].self, "payload"), Outbox.payloadField))
            events[try #require(ReferralID(event.referralID))] = event
        }
        return events
    }
}
