import AsyncHTTPClient
import LayarJobs
import ServiceLifecycle
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
                            portalURL: configuration.portalURL, coalescing: configuration.coalescing
                        ).router)
                    }
                ),
                .dataSubjectRequests(service: "notification") { NotificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock) },
            ],
            apiNames: [Layar_V1_NotificationService.descriptor.fullyQualifiedService],
            accessPolicies: [NotificationAccessPolicy.policy],
            api: { [NotificationAPI(store: NotificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock))] },
            background: { context in
                let store = NotificationStore(pool: context.pool, cipher: context.cipher, clock: context.clock)
                let senders = configuration.senders(client: .shared, logger: context.logger, clock: context.clock) { phone in
                    try await store.conversationOpen(phone: phone, channel: .whatsapp, now: store.clock.now)
                }
                var dispatcher = Dispatcher(
                    store: store, senders: senders,
                    limiters: senders.mapValues { _ in ProviderRateLimiter(perSecond: Double(configuration.ratePerSecond)) },
                    logger: context.logger
                )
                dispatcher.retries.maximumAttempts = configuration.maximumAttempts
                dispatcher.coalescing = configuration.coalescing
                dispatcher.wakeup = context.wakeups?.wakeup(for: DeliveryQueueTable.name)
                var services: [any Service] = [
                    dispatcher,
                    RetentionJob("message addresses", every: .seconds(3600), clock: context.clock, logger: context.logger) { now in
                        try await store.forgetAddresses(before: now.addingTimeInterval(-configuration.messageRetention.inSeconds))
                    },
                ]
                if let webhooks = configuration.webhooks {
                    let texts = InboundTexts(
                        store: store, statusLookup: IntakeStatusLookup(address: webhooks.intake),
                        limits: RateLimiter(pool: context.pool, clock: context.clock), logger: context.logger
                    )
                    if let server = configuration.webhookServer(texts: texts, logger: context.logger) { services.append(server) }
                }
                return services
            },
            wakeTables: [DeliveryQueueTable.name]
        )
    }
}
