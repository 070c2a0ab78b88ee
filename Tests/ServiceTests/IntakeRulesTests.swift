import LayarIntake
import LayarSchema
import LayarTestSupport
import Testing

@Suite("Intake rules")
struct IntakeRulesTests {
    @Test("a complete form has no problems")
    func valid() {
        #expect(ReferralFormValidator.problems(in: SampleReferral.form()).isEmpty)
    }

    @Test("every problem is reported with its field")
    func allProblems() {
        var form = SampleReferral.form()
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
        var form = SampleReferral.form()
        form.person.address.kecamatanCode = "63.10.01"
        #expect(ReferralFormValidator.problems(in: form).map(\.field) == ["form.person.address.kecamatan_code"])
    }

    @Test("an impossible birth date is refused")
    func impossibleDate() {
        var form = SampleReferral.form()
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
