import LayarRuntime
import LayarSchema

/// The notification service: tells applicants what happened to their referral.
public enum NotificationService {
    public static let definition = ServiceDefinition(
        name: "notification", defaultPort: 50054, migrations: NotificationMigrations.all,
        consumers: [
            ConsumerDefinition(
                name: "applicant",
                topics: [
                    LayarTopic.intakeContacts, .intakeReferrals, .verificationResults, .assignmentCases,
                    .surveyInvitations,
                ].map(\.rawValue),
                handler: { ApplicantNotifier(store: NotificationStore(pool: $0.pool)) }
            )
        ],
        apiNames: [Layar_V1_NotificationService.descriptor.fullyQualifiedService],
        api: { [NotificationAPI(store: NotificationStore(pool: $0.pool))] }
    )
}
