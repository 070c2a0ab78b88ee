/// The five services of LAYAR, the one table of them: each owns a PostgreSQL schema and role of
/// this name, a Kafka principal `layar-<name>`, the consumer groups `layar.<name>.*`, and its
/// ports below. The topics it writes and reads are in ``LayarTopic`` and ``LayarConsumerGroup``.
/// The runtime, layarctl and the portal take their defaults from here; the local scripts,
/// compose and the Kubernetes manifests are checked against it (`Service table` test).
public enum LayarServiceName: String, CaseIterable, Sendable, Comparable {
    case intake, verification, assignment, notification, survey

    /// The gRPC port (`LAYAR_GRPC_PORT`'s default): 50051 for intake, up to 50055 for survey.
    public var grpcPort: Int { 50051 + Self.allCases.firstIndex(of: self)! }

    /// The metrics port (`LAYAR_METRICS_PORT`'s default): 9101 for intake, up to 9105 for survey.
    public var metricsPort: Int { 9101 + Self.allCases.firstIndex(of: self)! }

    /// The port of the SMS and WhatsApp providers' webhooks (`LAYAR_WEBHOOK_PORT`'s default):
    /// notification's alone, 9110.
    public var webhookPort: Int? { self == .notification ? 9110 : nil }

    /// Every port the service listens on.
    public var ports: Set<Int> { Set([grpcPort, metricsPort] + (webhookPort.map { [$0] } ?? [])) }

    /// The services whose gRPC API this one calls (the portal calls them all): notification asks
    /// intake's public GetStatus for the status an applicant's CEK text asks.
    public var calls: [LayarServiceName] { self == .notification ? [.intake] : [] }

    /// Where layarctl and the portal find the service on the local stack.
    public var localAddress: String { "127.0.0.1:\(grpcPort)" }

    /// The environment variable that gives clients the service's address (`LAYAR_INTAKE_ADDR`...).
    public var addressVariable: String { "LAYAR_\(rawValue.uppercased())_ADDR" }

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
