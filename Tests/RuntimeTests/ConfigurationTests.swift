import Foundation
import LayarKafka
import LayarRuntime
import Testing

@Suite("Service configuration")
struct ConfigurationTests {
    @Test("every missing or invalid variable is reported at once")
    func allProblemsReported() {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(
                serviceName: "intake", defaultPort: 50051,
                environment: ["LAYAR_GRPC_PORT": "seventy", "LAYAR_LOG_LEVEL": "loud"]
            )
        }
        let text = error?.description ?? ""
        #expect(error?.problems.count == 4)
        #expect(text.contains("LAYAR_DATABASE_URL is not set"))
        #expect(text.contains("KAFKA_BROKERS is not set"))
        #expect(text.contains("LAYAR_GRPC_PORT=seventy is invalid"))
        #expect(text.contains("LAYAR_LOG_LEVEL=loud is invalid"))
    }

    @Test("defaults fill what is optional")
    func defaults() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            serviceName: "survey", defaultPort: 50055,
            environment: ["LAYAR_DATABASE_URL": "postgresql://survey@127.0.0.1/layar", "KAFKA_BROKERS": "127.0.0.1:9092"]
        )
        #expect(configuration.grpcPort == 50055)
        #expect(configuration.grpcHost == "127.0.0.1")
        #expect(configuration.databasePoolSize == 4)
        #expect(configuration.logLevel == .info)
    }

    /// A scratch folder with a password file and a CA file, as a secret store mounts them.
    static func secretFiles() throws -> (directory: URL, password: String, ca: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-secrets-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let password = directory.appendingPathComponent("password").path
        try "s3cret-from-the-store\n".write(toFile: password, atomically: true, encoding: .utf8)
        let ca = directory.appendingPathComponent("ca.crt").path
        try "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".write(toFile: ca, atomically: true, encoding: .utf8)
        return (directory, password, ca)
    }

    @Test("Kafka over SASL_SSL: the service's own principal, its password from a file, the brokers' CA")
    func kafkaSASL() throws {
        let files = try Self.secretFiles()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let configuration = try ServiceConfiguration.fromEnvironment(
            serviceName: "verification", defaultPort: 50052,
            environment: [
                "LAYAR_DATABASE_URL": "postgresql://verification@127.0.0.1/layar", "KAFKA_BROKERS": "kafka-0:9093,kafka-1:9093",
                "KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SASL_PASSWORD_FILE": files.password, "KAFKA_SSL_CA_FILE": files.ca,
            ]
        )
        #expect(configuration.kafka.bootstrapServers == "kafka-0:9093,kafka-1:9093")
        let properties = configuration.kafka.security.properties
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(properties["sasl.username"] == "layar-verification", "the default principal is the service's")
        #expect(properties["sasl.password"] == "s3cret-from-the-store", "read from the file, without its newline")
        #expect(properties["ssl.ca.location"] == files.ca)
        #expect(properties["ssl.endpoint.identification.algorithm"] == "https")

        // Both clients of the process carry it.
        #expect(KafkaProducerConfiguration(endpoint: configuration.kafka).security == configuration.kafka.security)
        #expect(KafkaConsumerConfiguration(endpoint: configuration.kafka, groupID: "g", topics: []).security == configuration.kafka.security)
    }

    @Test("Kafka security problems are reported with the rest, and plaintext is the default only")
    func kafkaSecurityProblems() throws {
        let files = try Self.secretFiles()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let base = ["LAYAR_DATABASE_URL": "postgresql://intake@127.0.0.1/layar", "KAFKA_BROKERS": "kafka:9093"]
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(
                serviceName: "intake", defaultPort: 50051,
                environment: base.merging([
                    "KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SSL_CA_FILE": "/nonexistent/ca.crt",
                    "KAFKA_SSL_CERT_FILE": files.ca, "KAFKA_SASL_MECHANISM": "PLAIN",
                ]) { $1 }
            )
        }
        let text = error?.description ?? ""
        #expect(text.contains("KAFKA_SASL_PASSWORD_FILE is not set"))
        #expect(text.contains("KAFKA_SSL_CA_FILE=/nonexistent/ca.crt is not a readable file"))
        #expect(text.contains("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together"))
        #expect(text.contains("KAFKA_SASL_MECHANISM=PLAIN is invalid"))
        #expect(!text.contains("s3cret"))

        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(
                serviceName: "intake", defaultPort: 50051, environment: base.merging(["KAFKA_SECURITY_PROTOCOL": "sasl_plaintext"]) { $1 }
            )
        }
        let plaintext = try ServiceConfiguration.fromEnvironment(serviceName: "intake", defaultPort: 50051, environment: base)
        #expect(plaintext.kafka.security == .plaintext)
        #expect(plaintext.kafka.security.properties == ["security.protocol": "plaintext"])
    }
}
