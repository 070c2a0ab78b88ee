import Foundation
import LayarAssignment
import LayarIntake
@testable import LayarNotification
import LayarRuntime
import LayarSchema
import LayarSurvey
import LayarVerification
import Testing

/// The one table of services (`LayarServiceName`: names, ports; `LayarTopic` and
/// `LayarConsumerGroup`: topics) is what the runtime, the local scripts, compose and the
/// Kubernetes manifests use: a port written anywhere else is checked against it here.
@Suite("Service table")
struct ServiceTableTests {
    static let repository = KafkaAccessTests.repository

    static func file(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The service ports (gRPC 50000s, metrics 9100s) written in `text`.
    static func ports(in text: Substring) -> Set<Int> {
        Set(text.matches(of: /\b(50[0-9]{3}|91[0-9]{2})\b/).compactMap { Int($0.output.1) })
    }

    static let allPorts = Set(LayarServiceName.allCases.flatMap(\.ports))

    /// The ports a service's manifest names: its own, and the gRPC ports of the services it calls.
    static func manifestPorts(_ service: LayarServiceName) -> Set<Int> {
        service.ports.union(service.calls.map(\.grpcPort))
    }

    @Test("every service runs on the table's ports, and the table's ports are distinct")
    func runtime() throws {
        #expect(Self.allPorts.count == LayarServiceName.allCases.map(\.ports.count).reduce(0, +))
        #expect(NotificationConfiguration.defaultWebhookPort == LayarServiceName.notification.webhookPort)
        #expect(LayarServiceName.intake.addressVariable == "LAYAR_INTAKE_ADDR")
        for service in LayarServiceName.allCases {
            #expect(try KafkaAccessTests.definition(service).defaultPort == service.grpcPort)
        }
    }

    @Test("compose gives each service its ports, and the portal their addresses")
    func compose() throws {
        let compose = try Self.file("deploy/compose.yaml")
        for service in LayarServiceName.allCases {
            let block = try #require(compose.firstMatch(of: try Regex("\\n  \(service.rawValue):\\n((?:    .*\\n|\\n)*)")))
            #expect(Self.ports(in: compose[block.range]) == [service.grpcPort, service.metricsPort], "compose's \(service)")
        }
        let portal = try #require(compose.firstMatch(of: /\n  portal:\n((?:    .*\n|\n)*)/))
        for service in [LayarServiceName.intake, .verification, .assignment, .survey] {
            #expect(compose[portal.range].contains("\(service.addressVariable): \(service.rawValue):\(service.grpcPort)"), "portal → \(service)")
        }
    }

    @Test("each Kubernetes manifest uses its service's ports, the portal's addresses and the network policies the table's")
    func kubernetes() throws {
        for service in LayarServiceName.allCases {
            #expect(Self.ports(in: Substring(try Self.file("deploy/k8s/base/\(service.rawValue).yaml"))) == Self.manifestPorts(service), "\(service).yaml")
        }
        let portal = try Self.file("deploy/k8s/base/portal.yaml")
        for service in [LayarServiceName.intake, .verification, .assignment, .survey] {
            let value = try #require(portal.firstMatch(of: try Regex("name: \(service.addressVariable)\\n\\s+value: \"?([^\"\\n]+)")))
            #expect(String(value.output[1].substring ?? "").hasSuffix(":\(service.grpcPort)"), "portal → \(service)")
        }
        let policies = Self.ports(in: Substring(try Self.file("deploy/k8s/base/network-policies.yaml")))
        #expect(!policies.isEmpty && policies.isSubset(of: Self.allPorts), "network policies name only the table's ports")
    }

    @Test("the local scripts start the table's services in its order from its first port")
    func localScripts() throws {
        let lib = try Self.file("deploy/local/lib.sh")
        #expect(lib.contains("SERVICES=(\(LayarServiceName.allCases.map(\.rawValue).joined(separator: " ")))"))
        #expect(lib.contains("GRPC_PORT_BASE=${LAYAR_GRPC_PORT_BASE:-\(LayarServiceName.intake.grpcPort)}"))
    }
}
