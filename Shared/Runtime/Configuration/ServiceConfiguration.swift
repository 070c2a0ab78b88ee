import LayarKafka
import LayarPostgres
import LayarSchema
import Logging

/// What every LAYAR service reads from its environment. deploy/README.md's configuration table lists
/// the same variables.
public struct ServiceConfiguration: Sendable {
    /// Service name, e.g. "intake": its schema, role, consumer groups and CloudEvents source.
    public var serviceName: String
    /// `LAYAR_DATABASE_URL`: libpq URI with the service's own role.
    public var databaseURL: String
    /// `LAYAR_DB_POOL_SIZE`: maximum database connections.
    public var databasePoolSize: Int
    /// `LAYAR_DB_STATEMENT_TIMEOUT_MS`.
    public var statementTimeoutMilliseconds: Int
    /// `KAFKA_BROKERS` and the `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*`, `KAFKA_SSL_*` settings:
    /// where the brokers are and as whom the service connects (see ``EnvironmentReader/kafkaEndpoint(defaultUsername:)``).
    public var kafka: KafkaEndpoint
    /// `KAFKA_TOPIC_CREATION` (`admin`, or `broker` where the broker creates topics itself),
    /// `KAFKA_TOPIC_PARTITIONS` (6) and `KAFKA_TOPIC_REPLICATION` (3): how topics a service adds
    /// while it runs are created (see ``TopicProvisioner``).
    public var topicCreation: TopicProvisioner.Mode = .admin
    public var topicPartitions = 6
    public var topicReplication = 3
    /// `LAYAR_GRPC_HOST` and `LAYAR_GRPC_PORT`: where the gRPC API listens.
    public var grpcHost: String
    public var grpcPort: Int
    /// `LAYAR_LOG_LEVEL`.
    public var logLevel: Logger.Level
    /// `LAYAR_LOG_FORMAT`: `text` for a terminal, `json` for a log collector.
    public var logFormat: String = "text"
    /// `LAYAR_METRICS_PORT`: the HTTP port of `/metrics` and `/health/*` (0: any free port).
    public var metricsPort: Int = 0
    /// `LAYAR_TOKEN_KEYS_DIR`: the public keys (`<key id>.pem`) that staff bearer tokens are
    /// checked against; unset, every staff RPC is refused.
    public var tokenKeysDirectory: String?
    /// `LAYAR_DATA_KEYS_DIR`: the master keys (`<key id>.key`) wrapping the keys that seal
    /// personal data at rest. Required to serve (a service does not store personal data in the
    /// clear); `migrate` does without.
    public var dataKeysDirectory: String = ""

    public init(
        serviceName: String, databaseURL: String, databasePoolSize: Int = 4, statementTimeoutMilliseconds: Int = 15_000,
        kafka: KafkaEndpoint, grpcHost: String = "127.0.0.1", grpcPort: Int, logLevel: Logger.Level = .info
    ) {
        self.serviceName = serviceName
        self.databaseURL = databaseURL
        self.databasePoolSize = databasePoolSize
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.kafka = kafka
        self.grpcHost = grpcHost
        self.grpcPort = grpcPort
        self.logLevel = logLevel
    }

    /// Reads the configuration, failing with every problem listed.
    public static func fromEnvironment(
        serviceName: String, defaultPort: Int, environment: [String: String]? = nil
    ) throws -> ServiceConfiguration {
        var reader = environment.map(EnvironmentReader.init) ?? EnvironmentReader()
        let databaseURL = reader.required(
            "LAYAR_DATABASE_URL", "the PostgreSQL URI with this service's role, e.g. postgresql://\(serviceName):secret@127.0.0.1:5432/layar"
        )
        let kafka = reader.kafkaEndpoint(defaultUsername: "layar-\(serviceName)")
        let poolSize = reader.integer("LAYAR_DB_POOL_SIZE", default: 4, in: 1...64)
        let timeout = reader.integer("LAYAR_DB_STATEMENT_TIMEOUT_MS", default: 15_000, in: 100...600_000)
        let host = reader.optional("LAYAR_GRPC_HOST", default: "127.0.0.1")
        let port = reader.integer("LAYAR_GRPC_PORT", default: defaultPort, in: 0...65535)
        let level = reader.choice(
            "LAYAR_LOG_LEVEL", default: "info", among: Logger.Level.allCases.map(\.rawValue)
        )
        let format = reader.choice("LAYAR_LOG_FORMAT", default: "text", among: ["text", "json"])
        let metricsPort = reader.integer(
            "LAYAR_METRICS_PORT", default: LayarServiceName(rawValue: serviceName)?.metricsPort ?? 0, in: 0...65535
        )
        let tokenKeys = reader.optional("LAYAR_TOKEN_KEYS_DIR", default: "")
        let dataKeys = reader.optional("LAYAR_DATA_KEYS_DIR", default: "")
        let topicCreation = reader.choice(
            "KAFKA_TOPIC_CREATION", default: TopicProvisioner.Mode.admin.rawValue, among: TopicProvisioner.Mode.allCases.map(\.rawValue)
        )
        let topicPartitions = reader.integer("KAFKA_TOPIC_PARTITIONS", default: 6, in: 1...1000)
        let topicReplication = reader.integer("KAFKA_TOPIC_REPLICATION", default: 3, in: 1...10)
        try reader.validate()
        var configuration = ServiceConfiguration(
            serviceName: serviceName, databaseURL: databaseURL, databasePoolSize: poolSize,
            statementTimeoutMilliseconds: timeout, kafka: kafka, grpcHost: host, grpcPort: port,
            logLevel: Logger.Level(rawValue: level) ?? .info
        )
        configuration.logFormat = format
        configuration.metricsPort = metricsPort
        configuration.tokenKeysDirectory = tokenKeys.isEmpty ? nil : tokenKeys
        configuration.dataKeysDirectory = dataKeys
        configuration.topicCreation = TopicProvisioner.Mode(rawValue: topicCreation) ?? .admin
        configuration.topicPartitions = topicPartitions
        configuration.topicReplication = topicReplication
        return configuration
    }

    var postgres: PostgresConfiguration {
        var configuration = PostgresConfiguration(connectionString: databaseURL)
        configuration.maximumConnections = databasePoolSize
        configuration.statementTimeout = .milliseconds(statementTimeoutMilliseconds)
        configuration.applicationName = "layar-\(serviceName)"
        return configuration
    }
}
