/// One Kafka ACL: a principal may perform `operations` on the resources `name` denotes.
public struct KafkaACL: Hashable, Sendable {
    public enum ResourceType: String, Sendable, Comparable {
        case topic, group
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A resource named exactly, or every resource whose name starts with the prefix.
    public enum Pattern: String, Sendable, Comparable {
        case literal, prefix
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Kafka's operation names, as `kafka-acls.sh` and Strimzi spell them.
    public enum Operation: String, Sendable, CaseIterable, Comparable {
        case read = "Read", write = "Write", describe = "Describe", create = "Create"
        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var principal: String
    public var resourceType: ResourceType
    public var pattern: Pattern
    public var name: String
    public var operations: [Operation]
}

/// What every Kafka principal of LAYAR may do, derived from the one topic table (``LayarTopic/writers``
/// and ``LayarConsumerGroup/all``); the brokers deny everything else. The deployment files hold
/// its renderings (compose's `deploy/kafka/layar-kafka.txt`, Kubernetes' Strimzi resources),
/// written by `layarctl kafka-config` and compared with it by a test.
///
/// - A service writes (and describes) the topics it owns and its groups' dead-letter topics, reads
///   (and describes) the topics its groups consume, and uses its own groups (`layar.<service>.*`).
/// - Assignment writes and creates partner agencies' offer topics (`layar.partner.*`).
/// - The operators' principal (`layar-operator`, layarctl) reads every LAYAR topic, writes the
///   services' topics (replaying dead letters), and uses the groups `layarctl-*`.
/// - A partner agency reads its own offer topics and uses its own groups, both under its prefix
///   (created with the agency's user, outside this table: `deploy/kafka/init-kafka.sh`, or a Strimzi
///   `KafkaUser` per agency).
///
/// Idempotent producers need no cluster ACL: Kafka 3 checks Write on a topic instead
/// (`IdempotentWrite` is deprecated, KIP-679).
public enum KafkaAccessTable {
    /// The principal of the operators' tools.
    public static let operatorPrincipal = "layar-operator"
    /// The prefix of the operators' consumer groups (`layarctl tail`, `replay-dead-letters`).
    public static let operatorGroupPrefix = "layarctl-"

    /// Every topic LAYAR's services need before they start: the platform's and the dead-letter
    /// topics. Partner topics come with their agencies.
    public static var topics: [String] {
        LayarTopic.allCases.map(\.rawValue) + LayarConsumerGroup.all.map(\.deadLetterTopic)
    }

    /// The ACLs of `service`'s principal.
    public static func acls(of service: LayarServiceName) -> [KafkaACL] {
        var grants: [Grant: Set<KafkaACL.Operation>] = [:]
        for topic in LayarTopic.allCases where topic.writers.contains(service) {
            grants[Grant(.topic, .literal, topic.rawValue), default: []].formUnion([.write, .describe])
        }
        for group in LayarConsumerGroup.of(service) {
            grants[Grant(.topic, .literal, group.deadLetterTopic), default: []].formUnion([.write, .describe])
            for topic in group.topics {
                grants[Grant(.topic, .literal, topic.rawValue), default: []].formUnion([.read, .describe])
            }
        }
        grants[Grant(.group, .prefix, service.groupPrefix), default: []].insert(.read)
        if service == .assignment {
            grants[Grant(.topic, .prefix, LayarTopic.partnerTopicPrefix), default: []].formUnion([.write, .describe, .create])
        }
        return acls(service.kafkaPrincipal, grants)
    }

    /// The ACLs of the operators' principal.
    public static var operatorACLs: [KafkaACL] {
        var grants: [Grant: Set<KafkaACL.Operation>] = [
            Grant(.topic, .prefix, "layar."): [.read, .describe],
            Grant(.group, .prefix, operatorGroupPrefix): [.read],
        ]
        for topic in LayarTopic.allCases { grants[Grant(.topic, .literal, topic.rawValue), default: []].insert(.write) }
        return acls(operatorPrincipal, grants)
    }

    /// Every principal with its ACLs: the services in order, then the operators.
    public static var principals: [(principal: String, acls: [KafkaACL])] {
        LayarServiceName.allCases.map { ($0.kafkaPrincipal, acls(of: $0)) } + [(operatorPrincipal, operatorACLs)]
    }

    private struct Grant: Hashable {
        var type: KafkaACL.ResourceType
        var pattern: KafkaACL.Pattern
        var name: String
        init(_ type: KafkaACL.ResourceType, _ pattern: KafkaACL.Pattern, _ name: String) {
            self.type = type
            self.pattern = pattern
            self.name = name
        }
    }

    /// Sorted by resource so that the renderings are stable.
    private static func acls(_ principal: String, _ grants: [Grant: Set<KafkaACL.Operation>]) -> [KafkaACL] {
        grants.map { grant, operations in
            KafkaACL(principal: principal, resourceType: grant.type, pattern: grant.pattern, name: grant.name, operations: operations.sorted())
        }
        .sorted { ($0.resourceType, $0.pattern, $0.name) < ($1.resourceType, $1.pattern, $1.name) }
    }
}
