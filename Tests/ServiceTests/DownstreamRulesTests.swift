import LayarNotification
import LayarSchema
import LayarVerification
import Testing

@Suite("Verification and notification rules")
struct DownstreamRulesTests {
    static let kk: [Layar_V1_DocumentKind] = [.kk]
    static let requirements = [
        ReferralChecks.DocumentRequirement(child: false, anyOf: [.ktp, .kk], description: "KTP atau KK"),
        ReferralChecks.DocumentRequirement(child: true, anyOf: [.kk], description: "KK anak"),
        ReferralChecks.DocumentRequirement(need: .psychiatricCare, anyOf: [.medicalLetter], description: "surat dokter"),
    ]
    static let match = RegistryMatch(
        registryID: "DTSEN-1", decile: 2, pkh: true, bpnt: false, pbiJK: true,
        kecamatanCode: "63.11.06", desaCode: "63.11.06.1023", familyMembers: 4
    )

    static func subject(
        nik: String = "6311065203580001", sex: Layar_V1_Sex = .female, urgency: Layar_V1_Urgency = .normal,
        isChild: Bool = false, documents: [Layar_V1_DocumentKind] = [.ktp], needs: [Layar_V1_Need] = [.basicNeeds],
        kecamatan: String = "63.11.06", desa: String = "63.11.06.1023"
    ) -> ReferralChecks.Subject {
        ReferralChecks.Subject(.with {
            $0.nik = nik
            $0.sex = sex
            $0.birthDate = .with { $0.year = 1958; $0.month = 3; $0.day = 12 }
            $0.urgency = urgency
            $0.isChild = isChild
            $0.needs = needs
            $0.ppksKind = "PPKS-08"
            $0.kecamatanCode = kecamatan
            $0.desaCode = desa
            $0.documents = documents.map { kind in .with { $0.kind = kind } }
        })
    }

    static func evaluate(
        _ subject: ReferralChecks.Subject, registry: RegistryMatch? = match, loaded: Bool = true, openCase: Bool = false
    ) -> ReferralChecks.Result {
        ReferralChecks.evaluate(subject, .init(registry: registry, registryLoaded: loaded, openCaseElsewhere: openCase, requirements: requirements))
    }

    @Test("a clean case is verified automatically, with the registry's evidence")
    func clean() {
        let result = Self.evaluate(Self.subject())
        #expect(result.outcome == .verified && result.failedChecks.isEmpty && !result.registryProposal)
        #expect(result.decile == 2)
        let registry = result.checks.first { $0.name == .registry }
        #expect(registry?.evidence["registry_id"] == "DTSEN-1" && registry?.evidence["pkh"] == "ya")
        #expect(registry?.evidence.values.contains("Siti") == false)
    }

    @Test("identity, domicile and open-case problems go to the verifiers' queue")
    func queued() {
        #expect(Self.evaluate(Self.subject(nik: "6311061203580001")).failedChecks == [.identity])
        #expect(Self.evaluate(Self.subject(nik: "6311061203580001")).outcome == .queued)
        #expect(Self.evaluate(Self.subject(nik: "0000000000000000")).outcome == .queued)
        #expect(Self.evaluate(Self.subject(kecamatan: "63.10.01", desa: "63.10.01.2001")).failedChecks == [.domicile])
        #expect(Self.evaluate(Self.subject(), openCase: true).failedChecks == [.openCase])
        // Moved in: a NIK from Banjarmasin (63.71) needs a verifier, unless a domicile statement came with it.
        #expect(Self.evaluate(Self.subject(nik: "6371015203580001")).failedChecks == [.domicile])
        #expect(Self.evaluate(Self.subject(nik: "6371015203580001", documents: [.ktp, .villageStatement])).outcome == .verified)
        // A queued case with missing documents stays with the verifier (who can ask for them).
        #expect(Self.evaluate(Self.subject(nik: "6311061203580001", documents: [])).outcome == .queued)
    }

    @Test("missing documents are asked of the applicant, per the checklist")
    func documents() {
        #expect(Self.evaluate(Self.subject(documents: [.photo])).outcome
            == .informationRequested(missing: [.ktp, .kk], message: "Mohon unggah KTP atau KK."))
        #expect(Self.evaluate(Self.subject(isChild: true, documents: [.ktp])).outcome
            == .informationRequested(missing: [.kk], message: "Mohon unggah KK anak."))
        #expect(Self.evaluate(Self.subject(isChild: true, documents: Self.kk)).outcome == .verified)
        guard case .informationRequested(let missing, _) = Self.evaluate(Self.subject(needs: [.psychiatricCare])).outcome else {
            Issue.record("expected a request")
            return
        }
        #expect(missing == [.medicalLetter])
    }

    @Test("a person outside the registry is verified, flagged, and proposed for registration")
    func notInRegistry() {
        let result = Self.evaluate(Self.subject(), registry: nil)
        #expect(result.outcome == .verified)
        #expect(result.registryProposal)
        #expect(result.failedChecks == [.registry])
        // Without any snapshot there is nothing to propose against.
        #expect(!Self.evaluate(Self.subject(), registry: nil, loaded: false).registryProposal)
    }

    @Test("priority: emergencies, children and the lowest deciles first")
    func priorities() {
        let emergencyChild = ReferralChecks.priority(Self.subject(urgency: .emergency, isChild: true), Self.match)
        let urgent = ReferralChecks.priority(Self.subject(urgency: .urgent), Self.match)
        var rich = Self.match
        rich.decile = 9
        let normalRich = ReferralChecks.priority(Self.subject(), rich)
        let normalPoor = ReferralChecks.priority(Self.subject(), Self.match)
        #expect(emergencyChild == 91 && urgent == 51 && normalPoor == 26 && normalRich == 10)
        #expect(ReferralChecks.priority(Self.subject(), nil) == 20)
    }

    @Test("every template renders, short ones fit one SMS with the tracking code")
    func templates() {
        let values = [
            "code": "LYR-ZFVF-ZZHZ", "worker": "Yusuf Hamdani, S.Tr.Sos.", "documents": "KTP atau Kartu Keluarga",
            "surveyCode": "SKM-ZKZW-X68B", "ppks": "Lanjut Usia Terlantar", "kecamatan": "Paringin Selatan",
            "priority": "tinggi", "checks": "identitas, domisili", "letter": "460/045/DINSOS-BLG/2026",
            "institution": "PRSPD-ISKAYA-BANARAN", "answer": "tidak menjawab sampai batas waktu",
            "next": "Pilih lembaga lain.", "deadline": "jawaban lembaga PPRSLU-BUDI-SEJAHTERA",
            "why": "kedaluwarsa karena belum dijawab", "desa": "Batu Piring",
        ]
        for kind in NotificationTemplates.Kind.allCases {
            let short = NotificationTemplates.render(kind, .short, values)
            let long = NotificationTemplates.render(kind, .long, values)
            #expect(short.count <= 160, "\(kind): \(short.count) characters")
            // Partners never learn the tracking code: their texts name the letter number.
            let reference = kind.isForPartner ? "460/045/DINSOS-BLG/2026" : "LYR-ZFVF-ZZHZ"
            #expect(kind.namesNoReferral || (short.contains(reference) && long.contains(reference)), "\(kind)")
            #expect(!kind.namesNoReferral || !(short + long).contains("LYR-ZFVF-ZZHZ"), "\(kind)")
            #expect(!kind.isForPartner || !(short + long).contains("LYR-ZFVF-ZZHZ"), "\(kind)")
            #expect(!short.contains("{{") && !long.contains("{{") && long.count > short.count / 2, "\(kind)")
        }
        // The invitation links to the portal's survey page when the portal's address is configured.
        let link = "https://layar.example.go.id/survei?kode=SKM-ZKZW-X68B"
        #expect(NotificationTemplates.render(.surveyInvited, .long, values.merging(["surveyLink": link]) { $1 }).hasSuffix("Isi di \(link)"))
        #expect(!NotificationTemplates.render(.surveyInvited, .long, values).contains("Isi di"))
        // Values are plain text: nothing is HTML-escaped.
        #expect(NotificationTemplates.render(.assigned, .short, ["code": "X", "worker": "A & B"]).contains("A & B"))
    }
}
