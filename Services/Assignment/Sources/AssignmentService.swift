import GRPCCore
import LayarRuntime
import LayarSchema

/// The assignment service: case workers and institutions, the case workflow with its ledger,
/// referral offers to partner agencies on their own topics, and deadlines.
public enum AssignmentService {
    public static func definition(environment: [String: String]) throws -> ServiceDefinition {
        let configuration = try AssignmentConfiguration.fromEnvironment(environment)
        @Sendable func store(_ context: ServiceResources) -> CaseStore {
            CaseStore(
                pool: context.pool, cipher: context.cipher, clock: context.clock, deadlines: configuration.deadlines,
                officeContact: configuration.officeContact
            )
        }
        return ServiceDefinition(
            service: .assignment, migrations: AssignmentMigrations.all,
            consumers: [
                ConsumerDefinition(
                    name: "verified", topics: [LayarTopic.verificationResults.rawValue],
                    handler: { VerifiedReferralIntake(store: store($0)).router }
                ),
                ConsumerDefinition(
                    name: "intake", topics: [LayarTopic.intakeReferrals.rawValue],
                    handler: { IntakeEventsHandler(store: store($0)).router }
                ),
                .dataSubjectRequests(service: "assignment") { store($0) },
            ],
            apiNames: [
                Layar_V1_AssignmentService.descriptor.fullyQualifiedService,
                Layar_V1_PartnerService.descriptor.fullyQualifiedService,
            ],
            accessPolicies: AssignmentAccessPolicy.policies,
            api: { context in
                let registry = RegistryStore(cases: store(context))
                return [
                    AssignmentAPI(store: store(context), registry: registry, topics: context.topics),
                    PartnerAPI(store: store(context), registry: registry),
                ]
            },
            interceptors: { context in
                [
                    .apply(
                        PartnerAuthenticator(registry: RegistryStore(cases: store(context))),
                        to: .services([Layar_V1_PartnerService.descriptor])
                    ),
                ]
            },
            background: { context in
                [DeadlineSweeper(store: store(context), interval: configuration.sweepInterval, logger: context.logger)]
            }
        )
    }
}
