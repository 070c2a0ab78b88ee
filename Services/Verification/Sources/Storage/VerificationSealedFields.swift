import LayarRuntime

/// Verification's personal fields at rest.
extension SealedField {
    /// `subjects.submitted`: the referral as intake announced it (NIK, birth date, needs).
    static let submittedReferral = SealedField("verification.subject.submitted")
    /// `subjects.nik_index`: finds a person's other open referrals without storing the NIK.
    static let nik = SealedField("verification.nik")
    /// `registry_people_*.nik_index` and `.kk_index`: the registry's people and families.
    static let registryNIK = SealedField("verification.registry.nik")
    static let registryKK = SealedField("verification.registry.kk")
    /// `applicant_replies.text`: what the applicant wrote back.
    static let applicantReply = SealedField("verification.applicant.reply")
}
