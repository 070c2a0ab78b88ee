import LayarRuntime
import LayarSchema

/// The verification service: decides whether a submitted referral can go ahead.
public enum VerificationService {
    public static let definition = ServiceDefinition(
        service: .verification, migrations: VerificationMigrations.all,
        consumers: [
            ConsumerDefinition(
                name: "referrals", topics: [LayarTopic.intakeReferrals.rawValue, LayarTopic.assignmentCases.rawValue],
                handler: { CaseWorkerScope.recording(ReferralChecker(store: VerificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock)).router) }
            ),
            ConsumerDefinition(
                name: "replies", topics: [LayarTopic.notificationReplies.rawValue],
                handler: { ApplicantReplies(store: VerificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock)).router }
            ),
            .dataSubjectRequests(service: "verification") { VerificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock) },
        ],
        apiNames: [Layar_V1_VerificationService.descriptor.fullyQualifiedService],
        accessPolicies: [VerificationAccessPolicy.policy],
        api: { [VerificationAPI(store: VerificationStore(pool: $0.pool, cipher: $0.cipher, clock: $0.clock))] }
    )
}
