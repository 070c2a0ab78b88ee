import LayarDomain
import LayarSchema
import Testing
@testable import LayarPortal

@Suite("Portal referral form")
struct ReferralFormInputTests {
    @Test("the form's inputs become intake's ReferralForm")
    func build() {
        var input = FormData()
        for (name, value) in [
            ("person.nik", "6311 0652 0358 0001"), ("person.full_name", "Siti"), ("person.sex", "2"),
            ("person.birth_date", "2010-03-12"), ("person.address.kecamatan_code", "63.11.06"), ("needs", "7"), ("needs", "5"),
            ("consent.given", "ya"), ("consent.survey", "ya"), ("urgency", "3"), ("applicant.preferred_channel", "2"),
        ] { input.append(value, to: name) }
        input.files["documents.kk"] = [UploadedFile(fileName: "kk.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.4".utf8))]
        let built = ReferralFormInput.build(from: input, channel: .web, today: CivilDate(year: 2026, month: 11, day: 29))
        #expect(built.errors.isEmpty)
        #expect(built.form.person.nik == "6311065203580001")
        #expect(built.form.person.sex == .female && built.form.person.isChild)
        #expect(built.form.needs == [.basicNeeds, .familySupport])
        #expect(built.form.urgency == .emergency && built.form.applicant.preferredChannel == .whatsapp)
        #expect(built.form.consent.purposes == [.verification, .referral, .survey])
        #expect(built.form.consent.channel == .electronic && built.form.channel == .web)
        #expect(built.form.documents.map(\.kind) == [.kk] && built.documentInputNames == ["documents.kk"])
    }

    @Test("without a NIK: the estimated age, the place found and the appearance replace the NIK and birth date")
    func withoutNIK() {
        var input = FormData()
        for (name, value) in [
            ("person.unknown_identity", "ya"), ("person.unknown_identity.estimated_age", " 12 "),
            ("person.unknown_identity.found_at", "Emperan toko dekat pasar"), ("person.unknown_identity.appearance", "Kaos merah"),
            ("person.full_name", "Udin"), ("person.sex", "1"),
        ] { input.append(value, to: name) }
        let today = CivilDate(year: 2026, month: 11, day: 29)
        let built = ReferralFormInput.build(from: input, channel: .web, today: today)
        #expect(built.errors.isEmpty)
        #expect(built.form.person.hasUnknownIdentity && !built.form.person.hasBirthDate && built.form.person.nik.isEmpty)
        #expect(built.form.person.unknownIdentity.estimatedAge == 12 && built.form.person.isChild)
        #expect(built.form.person.unknownIdentity.foundAt == "Emperan toko dekat pasar")
        // Ticked without an age: the problem is the age's, not the birth date's.
        var noAge = FormData()
        noAge.append("ya", to: "person.unknown_identity")
        let refused = ReferralFormInput.build(from: noAge, channel: .web, today: today)
        #expect(Set(refused.errors.keys) == ["person.unknown_identity.estimated_age"])
        #expect(ReferralFormInput.inputName(for: "form.person.unknown_identity.found_at", documentInputNames: []) == "person.unknown_identity.found_at")
    }

    @Test("a date the browser sent malformed is a problem of the birth-date input")
    func badDate() {
        var input = FormData()
        input.append("12/03/1958", to: "person.birth_date")
        let built = ReferralFormInput.build(from: input, channel: .web, today: CivilDate(year: 2026, month: 11, day: 29))
        #expect(built.errors["person.birth_date"] != nil)
        #expect(!built.form.person.hasBirthDate)
    }

    @Test("the service's field paths land on the inputs they are about")
    func violationPaths() {
        let names = ["documents.ktp", "documents.photo"]
        #expect(ReferralFormInput.inputName(for: "form.person.nik", documentInputNames: names) == "person.nik")
        #expect(ReferralFormInput.inputName(for: "form.documents[1].content", documentInputNames: names) == "documents.photo")
        #expect(ReferralFormInput.inputName(for: "form.documents", documentInputNames: names) == "documents")
        #expect(ReferralFormInput.inputName(for: "form.person.is_child", documentInputNames: names) == "person.birth_date")
        #expect(ReferralFormInput.inputName(for: "form.consent.purposes", documentInputNames: names) == "consent.given")
    }
}
