/// The Kafka topics of LAYAR. Each is written by exactly one service (its owner), but for the
/// answers to data-subject requests, which every service gives to intake; the record key is the
/// referral id (the request id on the two privacy topics), so one referral's events keep their
/// order. proto/README.md's topic table mirrors this list.
public enum LayarTopic: String, CaseIterable, Sendable {
    /// Written by intake: `ReferralSubmitted`, `ReferralDocumentsAdded`, `ReferralWithdrawn`.
    /// Read by verification, assignment (withdrawals), notification.
    case intakeReferrals = "layar.intake.referrals.v1"
    /// Written by intake: `ApplicantContactRecorded`, and for a submission linked to an open
    /// referral `LinkedSubmissionReceived` and `DuplicateSubmitted`. Read only by notification
    /// (contact data; nobody else learns that a person was submitted twice).
    case intakeContacts = "layar.intake.contacts.v1"
    /// Written by verification: `ReferralVerified`, `ReferralInformationRequested`, `ReferralRejected`.
    /// Read by assignment, intake, notification.
    case verificationResults = "layar.verification.results.v1"
    /// Written by assignment: `CaseAssigned`, `CaseCompleted`, `CaseTransitioned`, `CaseDeadlineMissed`.
    /// Read by intake, notification, survey.
    case assignmentCases = "layar.assignment.cases.v1"
    /// Written by survey: `SurveyInvitationCreated`. Read by notification.
    case surveyInvitations = "layar.survey.invitations.v1"
    /// Written by notification: `NotificationDelivered` (no address, no text). Read by survey's
    /// monitoring report (messages by channel: SMS and WhatsApp cost the office).
    case notificationDeliveries = "layar.notification.deliveries.v1"
    /// Written by notification: `ApplicantOptedOut` (read by intake, which records the consent
    /// change) and `ApplicantReplied` (read by verification: the answer to a request for information).
    case notificationReplies = "layar.notification.replies.v1"
    /// Written by intake: `DataSubjectRequested` (export, correction, erasure, retention). Read by
    /// verification, assignment, notification and survey.
    case intakePrivacy = "layar.intake.privacy.v1"
    /// Written by verification, assignment, notification and survey: `DataSubjectRequestAnswered`
    /// (an export's part holds the person's data). Read by intake alone.
    case privacyAnswers = "layar.privacy.answers.v1"

    /// The services that write the topic: its owner, or every service but intake for the
    /// answers to data-subject requests. Together with ``LayarConsumerGroup/all`` this is what
    /// the brokers' ACLs allow (``KafkaAccessTable``).
    public var writers: [LayarServiceName] {
        switch self {
        case .intakeReferrals, .intakeContacts, .intakePrivacy: [.intake]
        case .verificationResults: [.verification]
        case .assignmentCases: [.assignment]
        case .surveyInvitations: [.survey]
        case .notificationDeliveries, .notificationReplies: [.notification]
        case .privacyAnswers: [.verification, .assignment, .notification, .survey]
        }
    }

    /// The services that read the topic, from the consumer-group table.
    public var readers: [LayarServiceName] {
        Array(Set(LayarConsumerGroup.all.filter { $0.topics.contains(self) }.map(\.service))).sorted()
    }

    /// The prefix of every partner agency's offer topic: only assignment writes (and creates) there.
    public static let partnerTopicPrefix = "layar.partner."

    /// The topic where the partner agency with `prefix` receives its offers: one topic per agency,
    /// so prefixed Kafka ACLs let each agency read its own and nobody else's.
    public static func partnerOffers(prefix: String) -> String {
        "\(prefix).referrals.v1"
    }

    /// The default topic prefix of an institution: `layar.partner.<code in lower case>`.
    public static func defaultPartnerPrefix(institutionCode: String) -> String {
        "layar.partner.\(institutionCode.lowercased())"
    }

    /// Partitions the dev broker creates; production sizes topics in its own init job.
    public static let defaultPartitions = 4
}
