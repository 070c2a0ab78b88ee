import LayarRuntime

/// Survey's personal fields at rest: what a complainant wrote and how to reach them (their
/// identity is confidential under the complaint rules), and the report queued for LAPOR!.
extension SealedField {
    static let complaintDescription = SealedField("survey.complaint.description")
    static let complainantName = SealedField("survey.complainant.name")
    static let complainantPhone = SealedField("survey.complainant.phone")
    static let laporReport = SealedField("survey.lapor_forward.payload")
}
