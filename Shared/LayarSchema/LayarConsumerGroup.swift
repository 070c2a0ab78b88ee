/// A consumer group of a service and the topics it reads: with ``LayarTopic/writers`` the one
/// table that says who may read and write what on Kafka (``KafkaAccessTable`` turns it into ACLs).
/// Each service's `ServiceDefinition` consumes exactly its groups here (a test compares them).
public struct LayarConsumerGroup: Sendable, Hashable {
    public var service: LayarServiceName
    /// The consumer's name within its service: the group id is `layar.<service>.<name>`.
    public var name: String
    public var topics: [LayarTopic]

    public init(_ service: LayarServiceName, _ name: String, reads topics: [LayarTopic]) {
        self.service = service
        self.name = name
        self.topics = topics
    }

    /// The Kafka group id, also the inbox's consumer name.
    public var groupID: String { service.groupPrefix + name }
    /// Where the group's rejected events go (`InboxConsumer.deadLetterTopic`), written by the service.
    public var deadLetterTopic: String { groupID + ".dlq" }

    /// Every consumer group of LAYAR.
    public static let all: [LayarConsumerGroup] = [
        LayarConsumerGroup(.intake, "status", reads: [.verificationResults, .assignmentCases]),
        LayarConsumerGroup(.intake, "privacy", reads: [.privacyAnswers]),
        LayarConsumerGroup(.intake, "replies", reads: [.notificationReplies]),
        LayarConsumerGroup(.verification, "referrals", reads: [.intakeReferrals, .assignmentCases]),
        LayarConsumerGroup(.verification, "privacy", reads: [.intakePrivacy]),
        LayarConsumerGroup(.verification, "replies", reads: [.notificationReplies]),
        LayarConsumerGroup(.assignment, "verified", reads: [.verificationResults]),
        LayarConsumerGroup(.assignment, "intake", reads: [.intakeReferrals]),
        LayarConsumerGroup(.assignment, "privacy", reads: [.intakePrivacy]),
        LayarConsumerGroup(
            .notification, "applicant", reads: [.intakeContacts, .intakeReferrals, .verificationResults, .assignmentCases, .surveyInvitations]
        ),
        LayarConsumerGroup(.notification, "privacy", reads: [.intakePrivacy]),
        LayarConsumerGroup(.survey, "completed", reads: [.assignmentCases]),
        LayarConsumerGroup(.survey, "monitoring", reads: [.intakeReferrals, .assignmentCases, .notificationDeliveries]),
        LayarConsumerGroup(.survey, "privacy", reads: [.intakePrivacy]),
    ]

    /// The groups of `service`.
    public static func of(_ service: LayarServiceName) -> [LayarConsumerGroup] {
        all.filter { $0.service == service }
    }
}
