import AsyncHTTPClient
import LayarRuntime
import LayarSchema

/// The notification service: tells applicants and staff what happened, once, reliably.
public enum NotificationService {
    public static func definition(environment: [String: String]) throws -> ServiceDefinition {
        let configuration = try NotificationConfiguration.fromEnvironment(environment)
        return ServiceDefinition(
            service: .notification, migrations: NotificationMigrations.all,
            consumers: [
                ConsumerDefinition(
                    name: "applicant",
                    topics: [
                        LayarTopic.intakeContacts, .intakeReferrals, .verificationResults, .assignmentCases,
                        .surveyInvitations,
                    ].map(\.rawValue),
                    handler: {
                        CaseWorkerScope.recording(NotificationPlanner(
                            store: NotificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock), quietHours: configuration.quietHours,
                            portalURL: configuration.portalURL
                        ).router)
                    }
                ),
                .dataSubjectRequests(service: "notification") { NotificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock) },
            ],
            apiNames: [Layar_V1_NotificationService.descriptor.fullyQualifiedService],
            accessPolicies: [NotificationAccessPolicy.policy],
            api: { [NotificationAPI(store: NotificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock))] },
            background: { context in
                let senders = configuration.senders(client: .shared, logger: context.logger, clock: context.clock)
                var dispatcher = Dispatcher(
                    store: NotificationStore(pool: context.pool, cipher: context.cipher, clock: context.clock), senders: senders,
                    limiters: senders.mapValues { _ in RateLimiter(perSecond: Double(configuration.ratePerSecond)) },
                    logger: context.logger
                )
                dispatcher.retries.maximumAttempts = configuration.maximumAttempts
                let store = NotificationStore(pool: context.pool, cipher: context.cipher, clock: context.clock)
                return [
                    dispatcher,
                    RetentionJob("message addresses", every: .seconds(3600), clock: context.clock, logger: context.logger) { now in
                        try await store.forgetAddresses(before: now.addingTimeInterval(-configuration.messageRetention.inSeconds))
                    },
                ]
            }
        )
    }
}
