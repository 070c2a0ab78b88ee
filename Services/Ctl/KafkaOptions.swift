import ArgumentParser
import Foundation
import LayarKafka
import LayarRuntime

/// The brokers and as whom layarctl connects: `--brokers` or `KAFKA_BROKERS`, and the same
/// `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*` and `KAFKA_SSL_*` variables as the services, with the
/// operators' principal `layar-operator` by default.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers (env KAFKA_BROKERS, default 127.0.0.1:9092).")
    var brokers: String?

    func endpoint() throws -> KafkaEndpoint {
        var environment = ProcessInfo.processInfo.environment
        environment["KAFKA_BROKERS"] = brokers ?? environment["KAFKA_BROKERS"] ?? "127.0.0.1:9092"
        var reader = EnvironmentReader(environment)
        let endpoint = reader.kafkaEndpoint(defaultUsername: "layar-operator")
        try reader.validate()
        return endpoint
    }
}
