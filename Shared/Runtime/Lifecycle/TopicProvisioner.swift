import LayarKafka
import Logging

/// Gives a service the topics it starts writing to while it runs (a partner agency's offer
/// topic, when the agency is added), before anything is written there: with Kafka's Admin API
/// (`rd_kafka_CreateTopics`) at the configured partitions and replication, or, where the broker
/// creates topics on first use (the dev broker, whose mock cluster has no CreateTopics), not at all.
/// An event for a topic that is still missing is parked by the outbox relay, never blocking others.
public struct TopicProvisioner: Sendable {
    /// `KAFKA_TOPIC_CREATION`.
    public enum Mode: String, Sendable, CaseIterable {
        /// CreateTopics on the brokers: the service's principal needs Create on the topic (assignment's
        /// ACLs have it on `layar.partner.*`).
        case admin
        /// The broker creates topics on first use (`auto.create.topics.enable`, the dev broker).
        case broker
    }

    public var mode: Mode
    public var endpoint: KafkaEndpoint
    /// `KAFKA_TOPIC_PARTITIONS` and `KAFKA_TOPIC_REPLICATION`.
    public var partitions: Int
    public var replicationFactor: Int
    public var timeout: Duration = .seconds(10)
    public var logger: Logger

    public init(mode: Mode, endpoint: KafkaEndpoint, partitions: Int, replicationFactor: Int, logger: Logger) {
        self.mode = mode
        self.endpoint = endpoint
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.logger = logger
    }

    /// Returns once `topic` exists (created now or before); throws a ``KafkaError`` otherwise.
    public func ensure(_ topic: String) async throws {
        guard mode == .admin else { return }
        // One replica may be down without refusing writes, as for the platform's own topics.
        let config = replicationFactor > 1 ? ["min.insync.replicas": String(replicationFactor - 1)] : [:]
        let creations = try await KafkaAdmin.createTopics(
            [KafkaNewTopic(name: topic, partitions: partitions, replicationFactor: replicationFactor, config: config)],
            endpoint: endpoint, timeout: timeout, logger: logger
        )
        if creations[topic] == .created {
            logger.notice("created topic \(topic) (\(partitions) partitions × \(replicationFactor) replicas)")
        }
    }
}
