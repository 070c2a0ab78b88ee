import LayarRuntime

/// Assignment's personal fields at rest.
extension SealedField {
    /// `referral_people.nik`: sent only to institutions that must identify the person.
    static let personNIK = SealedField("assignment.person.nik")
    /// `cases.assessment_needs` and `cases.assessment_plan`: the case worker's notes.
    static let assessmentNeeds = SealedField("assignment.case.assessment_needs")
    static let assessmentPlan = SealedField("assignment.case.assessment_plan")
}
