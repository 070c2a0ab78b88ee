import LayarSchema

/// A request that names whose data it reads or changes: the audit trail's subject.
public protocol AuditedRequest {
    var auditSubject: String { get }
}

// The requests that name a referral (by id or tracking code) or an offer. Requests that name no
// one (lists, reports, reference data) are audited with an empty subject.
extension Layar_V1_GetReferralRequest: AuditedRequest {
    public var auditSubject: String { referralID.isEmpty ? trackingCode : referralID }
}
extension Layar_V1_GetStatusRequest: AuditedRequest { public var auditSubject: String { key.trackingCode } }
extension Layar_V1_AddDocumentsRequest: AuditedRequest { public var auditSubject: String { key.trackingCode } }
extension Layar_V1_WithdrawReferralRequest: AuditedRequest { public var auditSubject: String { key.trackingCode } }
extension Layar_V1_GetDocumentRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_GetVerificationRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_GetVerificationCaseRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_DecideRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_ConfirmRejectionRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_GetCaseRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_ReassignCaseRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_RecordAssessmentRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_SuggestInstitutionsRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_SendOfferRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_RevokeOfferRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_RecordProgressRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_RecordOutcomeRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_CompleteCaseRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_CloseCaseRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_AnswerOfferRequest: AuditedRequest { public var auditSubject: String { offerID } }
extension Layar_V1_RecordAdmissionRequest: AuditedRequest { public var auditSubject: String { offerID } }
extension Layar_V1_RecordPartnerOutcomeRequest: AuditedRequest { public var auditSubject: String { offerID } }
extension Layar_V1_GetInvitationRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_ListMessagesRequest: AuditedRequest { public var auditSubject: String { referralID } }
extension Layar_V1_ListAuditEventsRequest: AuditedRequest { public var auditSubject: String { subject } }
