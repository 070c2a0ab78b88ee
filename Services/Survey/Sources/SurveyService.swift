import AsyncHTTPClient
import LayarJobs
import LayarRuntime
import LayarSchema
import ServiceLifecycle

/// The survey service: satisfaction survey (SKM) and IKM, complaints with forwarding to
/// SP4N-LAPOR!, and the monitoring report.
public enum SurveyService {
    public static func definition(environment: [String: String]) throws -> ServiceDefinition {
        let configuration = try SurveyConfiguration.fromEnvironment(environment)
        return ServiceDefinition(
            service: .survey, migrations: SurveyMigrations.all,
            consumers: [
                ConsumerDefinition(
                    name: "completed", topics: [LayarTopic.assignmentCases.rawValue],
                    handler: { CaseWorkerScope.recording(CompletedCaseInviter(store: SurveyStore(pool: $0.pool, outbox: $0.outbox)).router) }
                ),
                ConsumerDefinition(
                    name: "monitoring", topics: [LayarTopic.intakeReferrals, .assignmentCases, .notificationDeliveries].map(\.rawValue),
                    handler: { MonitoringProjection(store: MonitoringStore(pool: $0.pool)).router }
                ),
                .dataSubjectRequests(service: "survey") {
                    ComplaintStore(pool: $0.pool, cipher: $0.cipher, deadlines: configuration.deadlines, clock: $0.clock)
                },
            ],
            apiNames: [Layar_V1_SurveyService.descriptor.fullyQualifiedService],
            accessPolicies: [SurveyAccessPolicy.policy],
            api: { context in
                [
                    SurveyAPI(
                        surveys: SurveyStore(pool: context.pool, outbox: context.outbox),
                        complaints: ComplaintStore(pool: context.pool, cipher: context.cipher, deadlines: configuration.deadlines, clock: context.clock),
                        monitoring: MonitoringStore(pool: context.pool), laporEnabled: configuration.laporURL != nil,
                        clock: context.clock
                    )
                ]
            },
            background: { context in
                let complaints = ComplaintStore(pool: context.pool, cipher: context.cipher, deadlines: configuration.deadlines, clock: context.clock)
                var services: [any Service] = [
                    RetentionJob("complainants' contacts", every: .seconds(3600), clock: context.clock, logger: context.logger) { now in
                        try await complaints.forgetComplainants(closedBefore: now.addingTimeInterval(-configuration.complainantRetention.inSeconds))
                    }
                ]
                if let url = configuration.laporURL {
                    var forwarder = LaporForwarder(
                        store: complaints, client: HTTPLaporClient(baseURL: url, token: configuration.laporToken, client: .shared),
                        clock: context.clock, logger: context.logger
                    )
                    forwarder.wakeup = context.wakeups?.wakeup(for: DeliveryQueueTable.name)
                    services.append(forwarder)
                }
                return services
            },
            wakeTables: [DeliveryQueueTable.name]
        )
    }
}
