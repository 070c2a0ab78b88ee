import LayarNotification
import LayarSchema
import LayarVerification
import Testing

@Suite("Verification and notification rules")
struct DownstreamRulesTests {
    static func subject(
        nik: String, sex: Layar_V1_Sex = .female, urgency: Layar_V1_Urgency = .normal, isChild: Bool = false,
        documents: [Layar_V1_DocumentKind] = [.ktp]
    ) -> IdentityCheck.Subject {
        IdentityCheck.Subject(.with {
            $0.nik = nik
            $0.sex = sex
            $0.birthDate = .with { $0.year = 1958; $0.month = 3; $0.day = 12 }
            $0.urgency = urgency
            $0.isChild = isChild
            $0.documents = documents.map { kind in .with { $0.kind = kind } }
        })
    }

    @Test("a consistent, documented identity is verified with its urgency's priority")
    func verified() {
        #expect(IdentityCheck.decide(Self.subject(nik: "6311065203580001", urgency: .emergency)) == .verified(priority: 90))
        #expect(IdentityCheck.decide(Self.subject(nik: "6311065203580001", documents: [.kk])) == .verified(priority: 30))
        #expect(IdentityCheck.decide(Self.subject(nik: "6311065203580001", urgency: .urgent, isChild: true, documents: [.kk]))
            == .verified(priority: 70))
    }

    @Test("an inconsistent identity is rejected with findings")
    func rejected() {
        // A man's NIK (day 12, not 52) for a woman.
        #expect(IdentityCheck.decide(Self.subject(nik: "6311061203580001")).findingCodes == ["NIK_SEX_MISMATCH"])
        // Born on the 13th according to the NIK, the 12th according to the form.
        #expect(IdentityCheck.decide(Self.subject(nik: "6311065303580001")).findingCodes == ["NIK_BIRTH_DATE_MISMATCH"])
        // Not a NIK at all.
        #expect(IdentityCheck.decide(Self.subject(nik: "0000000000000000")).findingCodes == ["NIK_PROVINCE"])
    }

    @Test("missing identity documents are asked for: KTP or KK for adults, KK for children")
    func documentsRequested() {
        guard case .informationRequested(let adult, _) = IdentityCheck.decide(Self.subject(nik: "6311065203580001", documents: [.photo]))
        else { Issue.record("expected a request"); return }
        #expect(adult == [.ktp, .kk])
        guard case .informationRequested(let child, _) = IdentityCheck.decide(
            Self.subject(nik: "6311065203580001", isChild: true, documents: [.ktp])
        ) else { Issue.record("expected a request"); return }
        #expect(child == [.kk])
    }

    @Test("every template renders, short ones fit one SMS with the tracking code")
    func templates() {
        let values = [
            "code": "LYR-ZFVF-ZZHZ", "worker": "Yusuf Hamdani, S.Tr.Sos.", "documents": "KTP atau Kartu Keluarga",
            "surveyCode": "SKM-ZKZW-X68B", "ppks": "Lanjut Usia Terlantar", "kecamatan": "Paringin Selatan",
            "priority": "tinggi",
        ]
        for kind in NotificationTemplates.Kind.allCases {
            let short = NotificationTemplates.render(kind, .short, values)
            let long = NotificationTemplates.render(kind, .long, values)
            #expect(short.count <= 160, "\(kind): \(short.count) characters")
            #expect(short.contains("LYR-ZFVF-ZZHZ") && long.contains("LYR-ZFVF-ZZHZ"), "\(kind)")
            #expect(!short.contains("{{") && !long.contains("{{") && long.count > short.count / 2, "\(kind)")
        }
        // Values are plain text: nothing is HTML-escaped.
        #expect(NotificationTemplates.render(.assigned, .short, ["code": "X", "worker": "A & B"]).contains("A & B"))
    }
}

extension IdentityCheck.Decision {
    var findingCodes: [String] {
        if case .rejected(let findings) = self { return findings.map(\.code) }
        return []
    }
}
