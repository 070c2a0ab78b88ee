import LayarRuntime

/// Intake's personal fields at rest: each is sealed (AES-GCM) under its own name, the NIK is only
/// kept as a blind index.
extension SealedField {
    /// `referrals.form` and `linked_submissions.form`: the whole form (names, NIK, No. KK,
    /// address, phone, description of the situation, consent).
    static let referralForm = SealedField("intake.referral.form")
    /// `referrals.nik_index` and `persons.nik_index`.
    static let nik = SealedField("intake.nik")
    /// `referrals.match_name`: the name (or nickname) of a person without papers, kept apart from
    /// the form so that finding their duplicates opens names, not whole forms.
    static let unidentifiedName = SealedField("intake.unidentified.name")
    static let documentFileName = SealedField("intake.document.file_name")
    static let documentContent = SealedField("intake.document.content")
    /// `referrals.request_fingerprint` and `linked_submissions.request_fingerprint`: a keyed hash of
    /// the form a `request_id` was first used with (the form itself is not recoverable from it).
    static let requestBody = SealedField("intake.request.body")
    /// `referrals.tracking_pin` and `linked_submissions.tracking_pin`: the applicant's PIN, sealed
    /// rather than hashed so that a retry of the same request is answered the same PIN.
    static let trackingPIN = SealedField("intake.tracking_pin")
    static let requestReason = SealedField("intake.data_subject_request.reason")
    static let exportPart = SealedField("intake.data_subject_answer.export_json")
}
