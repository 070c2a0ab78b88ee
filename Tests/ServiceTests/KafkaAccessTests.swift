import Foundation
import LayarAssignment
import LayarIntake
import LayarNotification
import LayarRuntime
import LayarSchema
import LayarSurvey
import LayarVerification
import Testing

/// The Kafka ACLs follow the one topic table, and the deployment files hold exactly them.
@Suite("Kafka access table")
struct KafkaAccessTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func definition(_ service: LayarServiceName) throws -> ServiceDefinition {
        switch service {
        case .intake: try IntakeService.definition(environment: [:])
        case .verification: VerificationService.definition
        case .assignment: try AssignmentService.definition(environment: [:])
        case .notification: try NotificationService.definition(environment: [:])
        case .survey: try SurveyService.definition(environment: [:])
        }
    }

    @Test("each service consumes exactly its groups of the topic table", arguments: LayarServiceName.allCases)
    func consumersMatchTable(service: LayarServiceName) throws {
        let definition = try Self.definition(service)
        #expect(definition.name == service.rawValue)
        let running = definition.consumers.map { "\($0.name): \($0.topics.sorted())" }.sorted()
        let table = LayarConsumerGroup.of(service).map { "\($0.name): \($0.topics.map(\.rawValue).sorted())" }.sorted()
        #expect(running == table)
    }

    @Test("a service writes only the topics it owns and reads only the topics it consumes", arguments: LayarServiceName.allCases)
    func leastPrivilege(service: LayarServiceName) {
        let acls = KafkaAccessTable.acls(of: service)
        #expect(acls.allSatisfy { $0.principal == service.kafkaPrincipal })
        let groups = LayarConsumerGroup.of(service)
        let owned = Set(LayarTopic.allCases.filter { $0.writers.contains(service) }.map(\.rawValue) + groups.map(\.deadLetterTopic))
        let consumed = Set(groups.flatMap(\.topics).map(\.rawValue))
        for acl in acls {
            switch (acl.resourceType, acl.pattern) {
            case (.topic, .literal):
                if acl.operations.contains(.write) { #expect(owned.contains(acl.name), "\(service) writes \(acl.name)") }
                if acl.operations.contains(.read) { #expect(consumed.contains(acl.name), "\(service) reads \(acl.name)") }
            case (.topic, .prefix):
                #expect(service == .assignment && acl.name == LayarTopic.partnerTopicPrefix, "\(service): prefix \(acl.name)")
                #expect(!acl.operations.contains(.read), "no service reads partner agencies' topics")
            case (.group, let pattern):
                #expect(pattern == .prefix && acl.name == service.groupPrefix && acl.operations == [.read])
            }
        }
        let writable = Set(acls.filter { $0.resourceType == .topic && $0.pattern == .literal && $0.operations.contains(.write) }.map(\.name))
        let readable = Set(acls.filter { $0.resourceType == .topic && $0.operations.contains(.read) }.map(\.name))
        #expect(writable == owned)
        #expect(readable == consumed)
        // Only intake may announce data-subject requests (the events that erase personal data).
        #expect(writable.contains(LayarTopic.intakePrivacy.rawValue) == (service == .intake))
    }

    @Test("the deployment files hold the table's rendering (regenerate with layarctl kafka-config)")
    func deploymentFilesMatch() throws {
        let compose = try String(contentsOf: Self.repository.appendingPathComponent("deploy/kafka/layar-kafka.txt"), encoding: .utf8)
        #expect(compose == KafkaDeployFiles.composeTable, "layarctl kafka-config compose > deploy/kafka/layar-kafka.txt")
        let strimzi = try String(contentsOf: Self.repository.appendingPathComponent("deploy/k8s/base/kafka.yaml"), encoding: .utf8)
        #expect(
            strimzi == KafkaDeployFiles.strimziResources(cluster: "layar", partitions: 6, replicas: 3),
            "layarctl kafka-config strimzi > deploy/k8s/base/kafka.yaml"
        )
    }

    @Test("the seeded agencies' topics are those of the institutions assignment's migration seeds")
    func seededAgencies() throws {
        let sql = try AssignmentService.definition(environment: [:]).migrations.map { "\($0.sql)" }.joined(separator: "\n")
        let prefixes = sql.matches(of: /'layar\.partner\.([a-z0-9-]+)'/).map { String($0.output.1) }
        #expect(Set(prefixes) == Set(KafkaDeployFiles.seededAgencies))
        #expect(prefixes.count == KafkaDeployFiles.seededAgencies.count)
    }
}
