import Foundation
import GRPCCore
import LayarKafka
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing
@testable import LayarAssignment

/// A partner agency's offer topic exists before the agency can be offered a case: adding an
/// institution creates the topic first, and saves nothing when it cannot.
@Suite("Institution topics")
struct InstitutionTopicTests {
    static let institution = Layar_V1_Institution.with {
        $0.code = "LKS-BARU"
        $0.name = "LKS Baru Paringin"
        $0.kind = .lks
        $0.ppksKinds = ["PPKS-09"]
        $0.services = [.psychiatricCare]
        $0.capacityTotal = 5
        $0.capacityAvailable = 5
        $0.active = true
    }

    static func api(_ fixture: AssignmentWorkflowTests.Fixture, mode: TopicProvisioner.Mode) throws -> AssignmentAPI {
        var topics = TopicProvisioner(
            mode: mode, endpoint: try TestEnvironment.kafkaEndpoint(), partitions: 3, replicationFactor: 1, logger: TestEnvironment.logger
        )
        topics.timeout = .seconds(2)
        return AssignmentAPI(store: fixture.cases, registry: fixture.registry, topics: topics)
    }

    @Test("when the brokers cannot create the topic, the institution is not saved and the caller is told to retry")
    func topicFirst() async throws {
        let fixture = try await AssignmentWorkflowTests.prepare()
        // The dev broker's mock cluster answers no CreateTopics: the Admin API times out there,
        // as against brokers that are down or refuse it.
        let api = try Self.api(fixture, mode: .admin)
        let error = await #expect(throws: RPCError.self) {
            try await api.upsertInstitution(request: Self.institution, context: ServerContextStub.context)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("layar.partner.lks-baru.referrals.v1") == true)
        #expect(try await fixture.registry.institutions().contains { $0.code == "LKS-BARU" } == false)
        try await fixture.database.drop()
    }

    @Test("where the broker creates topics itself, the institution is saved with its topic prefix")
    func brokerCreates() async throws {
        let fixture = try await AssignmentWorkflowTests.prepare()
        let saved = try await Self.api(fixture, mode: .broker).upsertInstitution(request: Self.institution, context: ServerContextStub.context)
        #expect(saved.topicPrefix == "layar.partner.lks-baru")
        #expect(try await fixture.registry.institutions().contains { $0.code == "LKS-BARU" })
        try await fixture.database.drop()
    }
}
