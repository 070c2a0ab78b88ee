import LayarIntake
import LayarSchema
import Testing

@Suite("Intake rules")
struct IntakeRulesTests {
    static func validForm() -> Layar_V1_ReferralForm {
        .with {
            $0.person = .with {
                $0.nik = "6311065203580001"
                $0.fullName = "Siti Aminah"
                $0.sex = .female
                $0.birthDate = .with { $0.year = 1958; $0.month = 3; $0.day = 12 }
                $0.address = .with { $0.kecamatanCode = "63.11.06"; $0.desaCode = "63.11.06.1023" }
            }
            $0.applicant = .with {
                $0.relationship = .villageOfficial
                $0.name = "Rusdiansyah"
                $0.phone = "081234567890"
                $0.preferredChannel = .sms
            }
            $0.ppksKind = "PPKS-08"
            $0.description_p = "Lansia tinggal sendiri"
            $0.urgency = .urgent
            $0.channel = .web
            $0.consent = .with { $0.given = true; $0.givenBy = "Siti Aminah" }
        }
    }

    @Test("a complete form has no problems")
    func valid() {
        #expect(ReferralFormValidator.problems(in: Self.validForm()).isEmpty)
    }

    @Test("every problem is reported with its field")
    func allProblems() {
        var form = Self.validForm()
        form.person.nik = "12345"
        form.person.address.desaCode = "63.11.01.2001"  // a desa of Juai, not of Paringin
        form.ppksKind = "PPKS-27"
        form.consent.given = false
        form.applicant.phone = ""
        let fields = ReferralFormValidator.problems(in: form).map(\.field)
        #expect(fields == [
            "form.person.nik", "form.person.address.desa_code", "form.ppks_kind", "form.applicant.phone",
            "form.consent.given",
        ])
    }

    @Test("an address outside Balangan is refused")
    func outsideBalangan() {
        var form = Self.validForm()
        form.person.address.kecamatanCode = "63.10.01"
        #expect(ReferralFormValidator.problems(in: form).map(\.field) == ["form.person.address.kecamatan_code"])
    }

    @Test("an impossible birth date is refused")
    func impossibleDate() {
        var form = Self.validForm()
        form.person.birthDate = .with { $0.year = 2023; $0.month = 2; $0.day = 29 }
        #expect(ReferralFormValidator.problems(in: form).map(\.field) == ["form.person.birth_date"])
    }

    @Test("tracking codes are well formed and distinct")
    func trackingCodes() {
        let codes = (0..<1000).map { _ in TrackingCode.generate() }
        #expect(codes.allSatisfy(TrackingCode.isWellFormed))
        #expect(Set(codes).count == codes.count)
        #expect(!TrackingCode.isWellFormed("LYR-0000-IIII"))
        #expect(!TrackingCode.isWellFormed("LYR-ABCD"))
    }
}
