import LayarNotification
import LayarSchema
import LayarVerification
import Testing

@Suite("Verification and notification rules")
struct DownstreamRulesTests {
    static func submitted(nik: String, sex: Layar_V1_Sex, urgency: Layar_V1_Urgency = .normal) -> Layar_V1_ReferralSubmitted {
        .with {
            $0.nik = nik
            $0.sex = sex
            $0.birthDate = .with { $0.year = 1958; $0.month = 3; $0.day = 12 }
            $0.urgency = urgency
        }
    }

    @Test("a consistent identity is verified with its urgency's priority")
    func verified() {
        let decision = IdentityCheck.decide(Self.submitted(nik: "6311065203580001", sex: .female, urgency: .emergency))
        #expect(decision.isVerified)
        #expect(decision.priority == 100)
    }

    @Test("an inconsistent identity is rejected with findings")
    func rejected() {
        // A man's NIK (day 12, not 52) for a woman.
        let wrongSex = IdentityCheck.decide(Self.submitted(nik: "6311061203580001", sex: .female))
        #expect(!wrongSex.isVerified)
        #expect(wrongSex.findings.map(\.code) == ["NIK_SEX_MISMATCH"])
        // Born on the 13th according to the NIK, the 12th according to the form.
        let wrongDate = IdentityCheck.decide(Self.submitted(nik: "6311065303580001", sex: .female))
        #expect(wrongDate.findings.map(\.code) == ["NIK_BIRTH_DATE_MISMATCH"])
        // Not a NIK at all.
        let garbage = IdentityCheck.decide(Self.submitted(nik: "0000000000000000", sex: .female))
        #expect(garbage.findings.map(\.code) == ["NIK_PROVINCE"])
    }

    @Test("applicant messages fit one SMS and name the tracking code")
    func smsLength() {
        let events: [ApplicantMessages.ApplicantEvent] = [
            .submitted, .verified, .rejected, .assigned(caseWorkerName: "Yusuf Hamdani, S.Tr.Sos."), .completed,
            .surveyInvited(code: "SKM-ZKZWX68B"),
        ]
        for event in events {
            let text = ApplicantMessages.text(for: event, trackingCode: "LYR-ZFVF-ZZHZ") ?? ""
            #expect(text.count <= 160, "\(event): \(text.count) characters")
            #expect(text.contains("LYR-ZFVF-ZZHZ"))
        }
    }
}
