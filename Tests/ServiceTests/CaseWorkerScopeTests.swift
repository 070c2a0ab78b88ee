import Foundation
import LayarDomain
import GRPCCore
import LayarAssignment
import LayarIntake
@testable import LayarNotification
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarSurvey
import LayarTestSupport
import LayarVerification
import Testing

/// A case worker reaches the referrals assigned to them in every service that shows referrals to
/// case workers, not only in assignment: each keeps the assignments assignment announces and
/// refuses the rest, and a reassignment moves the access.
@Suite("Case-worker scope")
struct CaseWorkerScopeTests {
    static func definitions() throws -> [ServiceDefinition] {
        [
            try IntakeService.definition(environment: [:]), VerificationService.definition,
            try NotificationService.definition(environment: [:]), try SurveyService.definition(environment: [:]),
        ]
    }

    static func assigned(_ referralID: ReferralID, to caseWorkerID: String, at time: Date) -> Layar_V1_CaseAssigned {
        .with {
            $0.referralID = referralID.description
            $0.caseID = UUID().uuidString.lowercased()
            $0.caseWorkerID = caseWorkerID
            $0.caseWorkerName = "Pendamping \(caseWorkerID)"
            $0.assignedAt = .init(date: time)
        }
    }

    static func allowed(_ identity: StaffIdentity, _ referralID: ReferralID, unscoped: Set<StaffRole>, pool: PostgresPool) async -> Bool {
        do {
            try await StaffIdentity.$current.withValue(identity) {
                try await CaseWorkerScope.requireAccess(to: referralID, unscoped: unscoped, pool: pool)
            }
            return true
        } catch {
            #expect((error as? RPCError)?.code == .permissionDenied)
            return false
        }
    }

    @Test("in intake, verification, notification and survey: own referrals only, and access follows a reassignment")
    func scopedEverywhere() async throws {
        let clock = TestClock()
        for definition in try Self.definitions() {
            let database = try await TestEnvironment.scratchDatabase()
            try await PostgresMigrator(migrations: definition.migrations, logger: TestEnvironment.logger).migrate(database.pool)
            let context = ServiceResources(
                pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock.clock), clock: clock.clock,
                logger: TestEnvironment.logger
            )
            // The consumer of assignment's topic keeps the assignments.
            let consumer = try #require(
                definition.consumers.first { $0.topics.contains(LayarTopic.assignmentCases.rawValue) && $0.name != "monitoring" },
                "\(definition.name) reads assignment's topic"
            )
            let handler = consumer.handler(context)
            #expect(handler.eventTypes.contains(Layar_V1_CaseAssigned.eventType), "\(definition.name).\(consumer.name)")
            let referralID = ReferralID()
            for worker in ["PS-ANI", "PS-BUDI"] {
                let message = try KafkaConsumerMessageFactory.message(Self.assigned(referralID, to: worker, at: clock.now), time: clock.now)
                try await database.pool.withTransaction { try await handler.handle(try InboundEvent(message), on: $0) }
                let ani = StaffIdentity(username: "ani", roles: [.caseWorker], caseWorkerID: "PS-ANI")
                let budi = StaffIdentity(username: "budi", roles: [.caseWorker], caseWorkerID: "PS-BUDI")
                let supervisor = StaffIdentity(username: "sri", roles: [.supervisor])
                let unscoped: Set<StaffRole> = [.supervisor, .verifier, .complaintDesk, .operator, .admin]
                #expect(await Self.allowed(ani, referralID, unscoped: unscoped, pool: database.pool) == (worker == "PS-ANI"), "\(definition.name)")
                #expect(await Self.allowed(budi, referralID, unscoped: unscoped, pool: database.pool) == (worker == "PS-BUDI"), "\(definition.name)")
                #expect(await Self.allowed(supervisor, referralID, unscoped: unscoped, pool: database.pool))
                // A referral no one was assigned yet: no case worker sees it.
                #expect(await Self.allowed(ani, ReferralID(), unscoped: unscoped, pool: database.pool) == false)
            }
            try await database.drop()
        }
    }

    @Test("the case worker's RPCs in the other services are scoped by their own access table")
    func scopedRPCs() {
        // Each of these RPCs lets case workers in, and checks the scope with its table's other roles.
        #expect(IntakeAccessPolicy.policy.rolesBeyondOwnCases("GetReferral") == [.supervisor, .verifier, .operator, .complaintDesk])
        #expect(IntakeAccessPolicy.policy.rolesBeyondOwnCases("GetDocument") == [.supervisor, .verifier])
        #expect(VerificationAccessPolicy.policy.rolesBeyondOwnCases("GetVerification") == [.supervisor, .verifier])
        #expect(NotificationAccessPolicy.policy.rolesBeyondOwnCases("ListMessages") == [.supervisor, .verifier, .complaintDesk])
        #expect(SurveyAccessPolicy.policy.rolesBeyondOwnCases("GetInvitation") == [.supervisor, .complaintDesk])
    }

    @Test("staff read an applicant's message with its tracking, survey and complaint codes masked")
    func redaction() {
        let message = Layar_V1_NotificationMessage.with {
            $0.body = "Rujukan LYR-7K3M-Q9TX selesai. Isi survei: https://layar.example/survei?kode=SKM-ABCD-2345 (aduan ADU-WXYZ-6789)."
        }
        let shown = MessageRedaction.forStaff(message).body
        #expect(shown == "Rujukan LYR-••••-•••• selesai. Isi survei: https://layar.example/survei?kode=SKM-••••-•••• (aduan ADU-••••-••••).")
    }
}
