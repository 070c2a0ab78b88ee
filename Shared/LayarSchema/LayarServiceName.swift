/// The five services of LAYAR: each owns a PostgreSQL schema and role of this name, a Kafka
/// principal `layar-<name>`, and the consumer groups `layar.<name>.*`.
public enum LayarServiceName: String, CaseIterable, Sendable, Comparable {
    case intake, verification, assignment, notification, survey

    /// The service's Kafka user (SASL SCRAM user, Strimzi `KafkaUser`).
    public var kafkaPrincipal: String { "layar-\(rawValue)" }

    /// The CloudEvents `source` of the service's events (`ce_source`).
    public var eventSource: String { "/layar/\(rawValue)" }

    /// The prefix of the service's consumer groups (and so of their dead-letter topics).
    public var groupPrefix: String { "layar.\(rawValue)." }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
