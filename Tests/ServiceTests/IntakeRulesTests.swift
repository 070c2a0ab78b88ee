import LayarDomain
import LayarIntake
import LayarSchema
import LayarTestSupport
import Testing

@Suite("Intake rules")
struct IntakeRulesTests {
    static let today = CivilDate(year: 2026, month: 11, day: 29)

    static func fields(_ form: Layar_V1_ReferralForm) -> [String] {
        ReferralFormValidator.problems(in: form, today: today).map(\.field)
    }

    @Test("a complete form has no problems")
    func valid() {
        #expect(Self.fields(SampleReferral.form()).isEmpty)
    }

    /// One rule each: a change to the sample form and the one field it must be reported on.
    static let rules: [(String, @Sendable (inout Layar_V1_ReferralForm) -> Void, String)] = [
        ("NIK too short", { $0.person.nik = "12345" }, "form.person.nik"),
        ("NIK with letters", { $0.person.nik = "63110652035800AB" }, "form.person.nik"),
        ("NIK unknown province", { $0.person.nik = "9911065203580001" }, "form.person.nik"),
        ("NIK serial 0000", { $0.person.nik = "6311065203580000" }, "form.person.nik"),
        ("NIK disagrees with birth date", { $0.person.birthDate.day = 13 }, "form.person.birth_date"),
        ("NIK disagrees with sex", { $0.person.sex = .male }, "form.person.sex"),
        ("KK not 16 digits", { $0.person.familyCardNumber = "63110" }, "form.person.family_card_number"),
        ("no name", { $0.person.fullName = "  " }, "form.person.full_name"),
        ("name too long", { $0.person.fullName = String(repeating: "a", count: 151) }, "form.person.full_name"),
        ("birth date in the future", { $0.person.birthDate = .with { $0.year = 2027; $0.month = 1; $0.day = 1 }; $0.person.nik = "6311064101270001" }, "form.person.birth_date"),
        ("adult marked as child", { $0.person.isChild = true }, "form.person.is_child"),
        ("kecamatan outside Balangan", { $0.person.address.kecamatanCode = "63.10.01" }, "form.person.address.kecamatan_code"),
        ("desa of another kecamatan", { $0.person.address.desaCode = "63.11.01.2001" }, "form.person.address.desa_code"),
        ("RT not digits", { $0.person.address.rt = "4a" }, "form.person.address.rt"),
        ("RW too long", { $0.person.address.rw = "0002" }, "form.person.address.rw"),
        ("person phone invalid", { $0.person.phone = "12345" }, "form.person.phone"),
        ("no relationship", { $0.applicant.relationship = .unspecified }, "form.applicant.relationship"),
        ("applicant without name", { $0.applicant.name = "" }, "form.applicant.name"),
        ("applicant phone invalid", { $0.applicant.phone = "0812" }, "form.applicant.phone"),
        ("SMS without phone", { $0.applicant.phone = "" }, "form.applicant.phone"),
        ("email invalid", { $0.applicant.email = "not-an-email" }, "form.applicant.email"),
        ("e-mail channel without e-mail", { $0.applicant.preferredChannel = .email }, "form.applicant.email"),
        ("unknown PPKS kind", { $0.ppksKind = "PPKS-27" }, "form.ppks_kind"),
        ("no description", { $0.description_p = "" }, "form.description"),
        ("no needs", { $0.needs = [] }, "form.needs"),
        ("unknown need", { $0.needs = [.residentialRehabilitation, .UNRECOGNIZED(99)] }, "form.needs"),
        ("unknown urgency", { $0.urgency = .UNRECOGNIZED(42) }, "form.urgency"),
        ("no channel", { $0.channel = .unspecified }, "form.channel"),
        ("no consent", { $0.consent.given = false }, "form.consent.given"),
        ("consent without name", { $0.consent.givenBy = "" }, "form.consent.given_by"),
        ("consent without giver", { $0.consent.giver = .unspecified }, "form.consent.giver"),
        ("consent without channel", { $0.consent.channel = .unspecified }, "form.consent.channel"),
        ("consent without referral purpose", { $0.consent.purposes = [.verification] }, "form.consent.purposes"),
        ("too many documents", { $0.documents = Array(repeating: SampleReferral.document(.photo), count: 9) }, "form.documents"),
        ("document without kind", { $0.documents = [SampleReferral.document(.unspecified)] }, "form.documents[0].kind"),
        ("empty document", { $0.documents = [SampleReferral.document(.ktp, [])] }, "form.documents[0].content"),
        ("executable renamed .jpg", { $0.documents = [SampleReferral.document(.ktp, Array("MZ\u{90}\u{0}".utf8))] }, "form.documents[0].content"),
        ("PDF as a photo", { $0.documents = [SampleReferral.document(.photo, SampleReferral.pdf, name: "foto.jpg")] }, "form.documents[0].content"),
        ("document over 2 MB", { $0.documents = [SampleReferral.document(.ktp, SampleReferral.jpeg + [UInt8](repeating: 0, count: 2 << 20))] }, "form.documents[0].content"),
    ]

    @Test("each rule reports exactly its field", arguments: rules.indices)
    func rule(_ index: Int) {
        let (name, change, field) = Self.rules[index]
        var form = SampleReferral.form()
        change(&form)
        #expect(Self.fields(form) == [field], "\(name)")
    }

    @Test("a child needs a parent's or guardian's consent")
    func childConsent() {
        var form = SampleReferral.form(nik: "6311061505150001", birthDate: .with { $0.year = 2015; $0.month = 5; $0.day = 15 })
        form.person.sex = .male
        form.person.isChild = true
        #expect(Self.fields(form) == ["form.consent.giver"])
        form.consent.giver = .guardian
        #expect(Self.fields(form).isEmpty)
        form.person.isChild = false
        #expect(Self.fields(form) == ["form.person.is_child"])
    }

    @Test("many problems are reported together")
    func allProblems() {
        var form = SampleReferral.form()
        form.person.nik = "12345"
        form.ppksKind = ""
        form.consent.given = false
        #expect(Self.fields(form) == ["form.person.nik", "form.ppks_kind", "form.consent.given"])
    }

    @Test(
        "Indonesian phone numbers are normalised to E.164",
        arguments: [
            ("0812-3456-7890", "+6281234567890"), ("62 812 3456 7890", "+6281234567890"),
            ("+6281234567890", "+6281234567890"), ("(0526) 2095123", "+625262095123"),
        ]
    )
    func phones(_ text: String, _ expected: String) {
        #expect(PhoneNumber.normalized(text) == expected)
    }

    @Test("implausible phone numbers are refused", arguments: ["0812", "12345678901", "+1 415 555 0100", "0812-34x6-7890", "00812345678"])
    func badPhones(_ text: String) {
        #expect(PhoneNumber.normalized(text) == nil)
    }

    @Test("document types come from the bytes")
    func sniffing() {
        #expect(DocumentSniffer.mediaType(of: SampleReferral.jpeg) == "image/jpeg")
        #expect(DocumentSniffer.mediaType(of: SampleReferral.png) == "image/png")
        #expect(DocumentSniffer.mediaType(of: SampleReferral.pdf) == "application/pdf")
        #expect(DocumentSniffer.mediaType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
        #expect(DocumentSniffer.mediaType(of: Array("<html>".utf8)) == nil)
        #expect(DocumentSniffer.mediaType(of: [0xFF, 0xD8]) == nil)
    }

    @Test("tracking codes are well formed, distinct, and free of look-alikes")
    func trackingCodes() {
        let codes = (0..<1000).map { _ in TrackingCode.generate() }
        #expect(codes.allSatisfy(TrackingCode.isWellFormed))
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { !$0.dropFirst(4).contains { "01OIL".contains($0) } })
        #expect(!TrackingCode.isWellFormed("LYR-0000-IIII"))
        #expect(!TrackingCode.isWellFormed("LYR-ABCD"))
    }
}
