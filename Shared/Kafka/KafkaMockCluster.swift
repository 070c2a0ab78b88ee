import CRDKafka

/// An in-memory Kafka cluster from librdkafka (`rdkafka_mock.h`) that speaks the real Kafka
/// protocol on loopback TCP. The dev broker hosts one for local stacks and tests; tests also
/// use it in-process to inject faults. Memory only: not for production.
public final class KafkaMockCluster: @unchecked Sendable {
    private let handle: OpaquePointer
    private let cluster: OpaquePointer

    /// Kafka protocol API keys accepted by ``pushRequestErrors(api:_:)``.
    public enum API: Int16, Sendable {
        case produce = 0
        case fetch = 1
        case offsetCommit = 8
        case offsetFetch = 9
    }

    /// Starts a cluster of `brokers` brokers on ephemeral loopback ports.
    public init(brokers: Int = 3) throws {
        handle = try RDKafka.makeHandle(type: RD_KAFKA_PRODUCER, properties: ["log_level": "3"])
        guard let cluster = rd_kafka_mock_cluster_new(handle, Int32(brokers)) else {
            rd_kafka_destroy(handle)
            throw KafkaError(kind: .mockCluster, message: "could not start the mock cluster")
        }
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(handle)
    }

    /// The `bootstrap.servers` string clients connect with.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    /// Creates a topic (otherwise topics are auto-created with 4 partitions on first use).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        let result = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafka.error(.mockCluster, result) }
    }

    /// Makes the next requests of `api` fail with the given Kafka error codes, one per request.
    public func pushRequestErrors(api: API, _ codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, errors.count, errors)
    }

    /// Makes the cluster answer requests about `topic` with the Kafka error `code` (0 clears it),
    /// as a broker does for a topic that does not exist or may not be used.
    public func setTopicError(_ topic: String, code: Int32) {
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(rawValue: code))
    }

    /// Takes a broker down (connections closed and refused) or brings it back up.
    public func setBroker(_ id: Int32, up: Bool) throws {
        let result = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafka.error(.mockCluster, result) }
    }

    /// Adds `milliseconds` of round-trip latency to a broker.
    public func setBrokerLatency(_ id: Int32, milliseconds: Int) throws {
        let result = rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds))
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafka.error(.mockCluster, result) }
    }
}
