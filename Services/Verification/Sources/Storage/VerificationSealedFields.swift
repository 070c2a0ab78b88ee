import LayarRuntime

/// Verification's personal fields at rest.
extension SealedField {
    /// `subjects.submitted`: the referral as intake announced it (NIK, birth date, needs).
    static let submittedReferral = SealedField("verification.subject.submitted")
    /// `subjects.nik_index`: finds a person's other open referrals without storing the NIK.
    static let nik = SealedField("verification.nik")
}
