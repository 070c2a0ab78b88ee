import GRPCCore
import LayarRuntime
import LayarSchema

/// The intake service: the front door where referrals are submitted and followed, and where a
/// person's requests about their data are opened.
public enum IntakeService {
    public static func definition(environment: [String: String]) throws -> ServiceDefinition {
        let configuration = try IntakeConfiguration.fromEnvironment(environment)
        @Sendable func store(_ context: ServiceResources) -> IntakeStore {
            IntakeStore(pool: context.pool, cipher: context.cipher, clock: context.clock)
        }
        return ServiceDefinition(
            service: .intake, migrations: IntakeMigrations.all,
            consumers: [
                ConsumerDefinition(
                    name: "status",
                    topics: [LayarTopic.verificationResults.rawValue, LayarTopic.assignmentCases.rawValue],
                    handler: { CaseWorkerScope.recording(StatusProjection(store: store($0)).router) }
                ),
                ConsumerDefinition(
                    name: "privacy", topics: [LayarTopic.privacyAnswers.rawValue],
                    handler: { DataSubjectAnswers(store: store($0)).router }
                ),
                ConsumerDefinition(
                    name: "replies", topics: [LayarTopic.notificationReplies.rawValue],
                    handler: { ConsentChanges(store: store($0)).router }
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
                // Matched by the access table rather than by a set of descriptors: grpc-swift's
                // generated descriptors carry the RPC's type, so one built by hand never equals them
                // (and the limit silently applied to nothing; the abuse suite caught it).
                [
                    .apply(
                        PublicCallLimitInterceptor(
                            limiter: RateLimiter(pool: context.pool, clock: context.clock), trustedCallers: configuration.trustedCallers,
                            perClient: configuration.publicCallLimit, ceiling: configuration.publicCallCeiling
                        ),
                        to: .allMatching { IntakeAccessPolicy.policy.access(for: $0) == .public }
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
