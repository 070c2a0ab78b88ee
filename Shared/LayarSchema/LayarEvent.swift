import SwiftProtobuf

/// A lifecycle event: a protobuf message with its CloudEvents type, its topic and its key.
/// Conformances below are the single table of which message travels where.
public protocol LayarEvent: SwiftProtobuf.Message, Sendable {
    /// The CloudEvents `ce_type`, versioned.
    static var eventType: String { get }
    /// The topic the owning service publishes it on.
    static var topic: LayarTopic { get }
    /// The referral the event is about: the Kafka key and the CloudEvents subject.
    var referralID: String { get }
}

/// Every event type, for decoding by `ce_type` (tools such as `layarctl tail`).
public enum LayarEvents {
    public static let all: [any LayarEvent.Type] = [
        Layar_V1_ReferralSubmitted.self, Layar_V1_ApplicantContactRecorded.self,
        Layar_V1_ReferralDocumentsAdded.self, Layar_V1_ReferralWithdrawn.self,
        Layar_V1_ReferralVerified.self, Layar_V1_ReferralInformationRequested.self, Layar_V1_ReferralRejected.self,
        Layar_V1_CaseAssigned.self, Layar_V1_CaseCompleted.self,
        Layar_V1_SurveyInvitationCreated.self, Layar_V1_NotificationDelivered.self, Layar_V1_RegistryProposalRaised.self,
        Layar_V1_ReferralQueued.self, Layar_V1_RejectionProposed.self,
        Layar_V1_CaseTransitioned.self, Layar_V1_CaseDeadlineMissed.self,
        Layar_V1_DataSubjectRequested.self, Layar_V1_DataSubjectRequestAnswered.self,
        Layar_V1_LinkedSubmissionReceived.self, Layar_V1_DuplicateSubmitted.self,
        Layar_V1_ApplicantOptedOut.self, Layar_V1_ApplicantReplied.self,
    ]

    public static func type(named eventType: String) -> (any LayarEvent.Type)? {
        all.first { $0.eventType == eventType }
    }
}

extension Layar_V1_ReferralSubmitted: LayarEvent {
    public static let eventType = "layar.referral.submitted.v1"
    public static let topic = LayarTopic.intakeReferrals
}

extension Layar_V1_ReferralDocumentsAdded: LayarEvent {
    public static let eventType = "layar.referral.documents-added.v1"
    public static let topic = LayarTopic.intakeReferrals
}

extension Layar_V1_ReferralWithdrawn: LayarEvent {
    public static let eventType = "layar.referral.withdrawn.v1"
    public static let topic = LayarTopic.intakeReferrals
}

extension Layar_V1_ReferralInformationRequested: LayarEvent {
    public static let eventType = "layar.referral.information-requested.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_ApplicantContactRecorded: LayarEvent {
    public static let eventType = "layar.referral.contact.v1"
    public static let topic = LayarTopic.intakeContacts
}

extension Layar_V1_LinkedSubmissionReceived: LayarEvent {
    public static let eventType = "layar.referral.linked-submission-received.v1"
    public static let topic = LayarTopic.intakeContacts
}

extension Layar_V1_DuplicateSubmitted: LayarEvent {
    public static let eventType = "layar.referral.duplicate-submitted.v1"
    public static let topic = LayarTopic.intakeContacts
}

extension Layar_V1_ReferralVerified: LayarEvent {
    public static let eventType = "layar.referral.verified.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_ReferralRejected: LayarEvent {
    public static let eventType = "layar.referral.rejected.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_CaseAssigned: LayarEvent {
    public static let eventType = "layar.case.assigned.v1"
    public static let topic = LayarTopic.assignmentCases
}

extension Layar_V1_CaseCompleted: LayarEvent {
    public static let eventType = "layar.case.completed.v1"
    public static let topic = LayarTopic.assignmentCases
}

extension Layar_V1_SurveyInvitationCreated: LayarEvent {
    public static let eventType = "layar.survey.invited.v1"
    public static let topic = LayarTopic.surveyInvitations
}

extension Layar_V1_NotificationDelivered: LayarEvent {
    public static let eventType = "layar.notification.delivered.v1"
    public static let topic = LayarTopic.notificationDeliveries
}

extension Layar_V1_ApplicantOptedOut: LayarEvent {
    public static let eventType = "layar.notification.applicant-opted-out.v1"
    public static let topic = LayarTopic.notificationReplies
}

extension Layar_V1_ApplicantReplied: LayarEvent {
    public static let eventType = "layar.notification.applicant-replied.v1"
    public static let topic = LayarTopic.notificationReplies
}

extension Layar_V1_RegistryProposalRaised: LayarEvent {
    public static let eventType = "layar.registry.proposal-raised.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_ReferralQueued: LayarEvent {
    public static let eventType = "layar.referral.queued.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_RejectionProposed: LayarEvent {
    public static let eventType = "layar.referral.rejection-proposed.v1"
    public static let topic = LayarTopic.verificationResults
}

extension Layar_V1_CaseTransitioned: LayarEvent {
    public static let eventType = "layar.case.transitioned.v1"
    public static let topic = LayarTopic.assignmentCases
}

extension Layar_V1_CaseDeadlineMissed: LayarEvent {
    public static let eventType = "layar.case.deadline-missed.v1"
    public static let topic = LayarTopic.assignmentCases
}

// The privacy events are keyed by their request (one request's events keep their order).
extension Layar_V1_DataSubjectRequested: LayarEvent {
    public static let eventType = "layar.privacy.requested.v1"
    public static let topic = LayarTopic.intakePrivacy
    public var referralID: String { requestID }
}

extension Layar_V1_DataSubjectRequestAnswered: LayarEvent {
    public static let eventType = "layar.privacy.answered.v1"
    public static let topic = LayarTopic.privacyAnswers
    public var referralID: String { requestID }
}
