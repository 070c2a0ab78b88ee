import GRPCCore
import LayarRuntime
import LayarSchema

/// The intake service: the front door where referrals are submitted and followed, and where a
/// person's requests about their data are opened.
public enum IntakeService {
    public static func definition(environment: [String: String]) throws -> ServiceDefinition {
        let configuration = try IntakeConfiguration.fromEnvironment(environment)
        @Sendable func store(_ context: ServiceContext) -> IntakeStore {
            IntakeStore(pool: context.pool, cipher: context.cipher, clock: context.clock)
        }
        return ServiceDefinition(
            service: .intake, defaultPort: 50051, migrations: IntakeMigrations.all,
            consumers: [
                ConsumerDefinition(
                    name: "status",
                    topics: [LayarTopic.verificationResults.rawValue, LayarTopic.assignmentCases.rawValue],
                    handler: { CaseWorkerScope.recording(StatusProjection(store: store($0))) }
                ),
                ConsumerDefinition(
                    name: "privacy", topics: [LayarTopic.privacyAnswers.rawValue],
                    handler: { DataSubjectAnswers(store: store($0)) }
                ),
            ],
            apiNames: [
                Layar_V1_IntakeService.descriptor.fullyQualifiedService,
                Layar_V1_DataSubjectService.descriptor.fullyQualifiedService,
            ],
            accessPolicies: [IntakeAccessPolicy.policy, IntakeAccessPolicy.dataSubjects],
            api: { [IntakeAPI(store: store($0)), DataSubjectAPI(store: store($0))] },
            interceptors: { context in
                // The public RPCs (no account to limit) per client and for everyone, over all replicas.
                let publicRPCs = IntakeAccessPolicy.policy.rules.filter { $0.value == .public }.keys.sorted().map {
                    MethodDescriptor(fullyQualifiedService: Layar_V1_IntakeService.descriptor.fullyQualifiedService, method: $0)
                }
                return [
                    .apply(
                        PublicCallLimitInterceptor(
                            limiter: RateLimiter(pool: context.pool, clock: context.clock), trustedCallers: configuration.trustedCallers,
                            perClient: configuration.publicCallLimit, ceiling: configuration.publicCallCeiling
                        ),
                        to: .methods(Set(publicRPCs))
                    ),
                ]
            },
            background: { context in
                // Closed referrals past their period: each batch is a RETENTION request that every
                // service carries out, like a person's erasure.
                [
                    RetentionJob("closed referrals", every: configuration.sweepInterval, clock: context.clock, logger: context.logger) { now in
                        var anonymised = 0
                        while let request = try await store(context).openRetentionRequest(
                            closedBefore: now.addingTimeInterval(-configuration.retention.inSeconds), now: now
                        ) {
                            anonymised += request.referralIds.count
                        }
                        return anonymised
                    }
                ]
            }
        )
    }
}
