import LayarRuntime
import LayarSchema

/// The assignment service: who is responsible for a case, until it is closed.
public enum AssignmentService {
    public static let definition = ServiceDefinition(
        name: "assignment", defaultPort: 50053, migrations: AssignmentMigrations.all,
        consumers: [
            ConsumerDefinition(
                name: "verified", topics: [LayarTopic.verificationResults.rawValue],
                handler: { VerifiedReferralIntake(store: AssignmentStore(pool: $0.pool, outbox: $0.outbox)) }
            ),
            ConsumerDefinition(
                name: "withdrawals", topics: [LayarTopic.intakeReferrals.rawValue],
                handler: { WithdrawalHandler(store: AssignmentStore(pool: $0.pool, outbox: $0.outbox)) }
            ),
        ],
        apiNames: [Layar_V1_AssignmentService.descriptor.fullyQualifiedService],
        api: { [AssignmentAPI(store: AssignmentStore(pool: $0.pool, outbox: $0.outbox))] }
    )
}
