import Foundation
import LayarKafka
import LayarTestSupport
import Testing

/// The TLS and SASL settings reach librdkafka as configured: this build of librdkafka takes
/// SCRAM-SHA-512 over TLS, refuses a CA file that is not one, and a client that must speak TLS
/// never falls back to plaintext (the dev broker speaks plaintext only, so nothing is delivered).
@Suite("Kafka security settings")
struct KafkaSecurityTests {
    static let scram = KafkaSecurity(
        securityProtocol: .saslSSL, credentials: .init(mechanism: .scramSHA512, username: "layar-intake", password: "not-the-broker's")
    )

    @Test("a SASL_SSL client is accepted by librdkafka and does not deliver to a plaintext broker")
    func noPlaintextFallback() async throws {
        var configuration = KafkaProducerConfiguration(endpoint: KafkaEndpoint(bootstrapServers: try TestEnvironment.kafkaBrokers(), security: Self.scram))
        configuration.messageTimeoutMilliseconds = 3_000
        let producer = try KafkaProducer(configuration: configuration, logger: TestEnvironment.logger)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerRecord(topic: "test.kafka.tls-only", key: [1], value: [1]))
        }
        #expect(error?.kind == .delivery)
        await producer.shutdown()
    }

    @Test("a CA file that holds no certificate stops the client at creation")
    func badCAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID().uuidString.prefix(8)).crt").path
        try "this is not a certificate\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var security = Self.scram
        security.caFile = path
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(
                configuration: .init(endpoint: KafkaEndpoint(bootstrapServers: "127.0.0.1:1", security: security)), logger: TestEnvironment.logger
            )
        }
        #expect(error.map { [.configuration, .clientCreation].contains($0.kind) } == true)
        #expect(error?.description.contains("not-the-broker's") == false, "the password stays out of errors")
    }
}

/// Creating topics through the Admin API (`rd_kafka_CreateTopics`). The dev broker's mock
/// cluster has no controller for it, so only the failure path runs here: it must be bounded by
/// the timeout, typed, and retriable. (Against a real Kafka the created/already-exists answers
/// are read from the same result; that is not run here.)
@Suite("Kafka admin")
struct KafkaAdminTests {
    @Test("CreateTopics that gets no answer fails as a retriable admin error within its timeout")
    func boundedFailure() async throws {
        let topic = KafkaNewTopic(name: "test.admin.\(UUID().uuidString.prefix(8).lowercased())", partitions: 3, replicationFactor: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: KafkaError.self) {
            try await KafkaAdmin.createTopics([topic], endpoint: try TestEnvironment.kafkaEndpoint(), timeout: .seconds(2), logger: TestEnvironment.logger)
        }
        #expect(error?.kind == .admin)
        #expect(error?.isRetriable == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("a topic librdkafka cannot describe is refused before anything is sent")
    func invalidTopic() async throws {
        let error = await #expect(throws: KafkaError.self) {
            try await KafkaAdmin.createTopics(
                [KafkaNewTopic(name: "bad", partitions: -7, replicationFactor: 1)], endpoint: try TestEnvironment.kafkaEndpoint(),
                timeout: .seconds(2), logger: TestEnvironment.logger
            )
        }
        #expect(error?.kind == .admin)
        #expect(error?.description.contains("bad") == true)
    }
}
