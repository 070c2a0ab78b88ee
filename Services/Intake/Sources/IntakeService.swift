import LayarRuntime
import LayarSchema

/// The intake service: the front door where referrals are submitted and followed.
public enum IntakeService {
    public static let definition = ServiceDefinition(
        name: "intake", defaultPort: 50051, migrations: IntakeMigrations.all,
        consumers: [
            ConsumerDefinition(
                name: "status",
                topics: [LayarTopic.verificationResults.rawValue, LayarTopic.assignmentCases.rawValue],
                handler: { StatusProjection(store: IntakeStore(pool: $0.pool, cipher: $0.cipher)) }
            )
        ],
        apiNames: [Layar_V1_IntakeService.descriptor.fullyQualifiedService],
        accessPolicies: [IntakeAccessPolicy.policy],
        api: { [IntakeAPI(store: IntakeStore(pool: $0.pool, cipher: $0.cipher))] }
    )
}
