import CRDKafka
import Dispatch
import Logging

/// A topic to create: its name, partitions, replication factor and topic-level settings.
public struct KafkaNewTopic: Sendable, Equatable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    /// e.g. `min.insync.replicas`.
    public var config: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// Kafka's Admin API, as far as LAYAR needs it: creating topics (`rd_kafka_CreateTopics`).
/// Each call uses a client of its own and waits for the controller's answer on a dispatch
/// thread, never on Swift's cooperative pool.
public enum KafkaAdmin {
    /// What became of one topic.
    public enum Creation: Sendable, Equatable {
        case created
        case alreadyExists
    }

    /// Creates `topics` and answers, per topic name, whether it was created or already existed;
    /// throws when the request as a whole failed (brokers unreachable, timed out, the broker does
    /// not support CreateTopics) or when a topic could not be created (not authorised, invalid
    /// settings), with the first such topic's error.
    public static func createTopics(
        _ topics: [KafkaNewTopic], endpoint: KafkaEndpoint, timeout: Duration = .seconds(30), logger: Logger
    ) async throws -> [String: Creation] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingCreate(topics, endpoint: endpoint, timeout: timeout, logger: logger) })
            }
        }
    }

    private static func blockingCreate(
        _ topics: [KafkaNewTopic], endpoint: KafkaEndpoint, timeout: Duration, logger: Logger
    ) throws -> [String: Creation] {
        var configuration = KafkaProducerConfiguration(endpoint: endpoint)
        configuration.clientID = "layar.admin"
        let handle = try RDKafka.makeHandle(type: RD_KAFKA_PRODUCER, properties: configuration.properties)
        let mainQueue = rd_kafka_queue_get_main(handle)
        let resultQueue = rd_kafka_queue_new(handle)
        defer {
            // What the client logged meanwhile goes to swift-log.
            while let event = rd_kafka_queue_poll(mainQueue, 0) {
                RDKafka.log(event: event, to: logger)
                rd_kafka_event_destroy(event)
            }
            rd_kafka_queue_destroy(resultQueue)
            rd_kafka_queue_destroy(mainQueue)
            rd_kafka_destroy(handle)
        }
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorText, errorText.count)
            else {
                throw KafkaError(kind: .admin, message: "topic \(topic.name): \(String(cString: errorText))")
            }
            newTopics.append(newTopic)
            for (name, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_NewTopic_set_config(newTopic, name, value)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafka.error(.admin, code) }
            }
        }
        let milliseconds = Int32(clamping: timeout.components.seconds * 1_000)
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, resultQueue)
        }
        // The answer arrives within the request timeout; a little more covers the client's own work.
        guard let event = rd_kafka_queue_poll(resultQueue, milliseconds + 5_000) else {
            throw KafkaError(kind: .admin, code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "CreateTopics: no answer", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let requestError = rd_kafka_event_error(event)
        guard requestError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(requestError))
            throw KafkaError(kind: .admin, code: requestError.rawValue, message: "CreateTopics: \(text)", isRetriable: RDKafka.isRetriable(requestError))
        }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event), let results = rd_kafka_CreateTopics_result_topics(result, &count) else {
            throw KafkaError(kind: .admin, message: "CreateTopics: no result")
        }
        var creations: [String: Creation] = [:]
        for index in 0..<count {
            let topic = results[index]
            let name = String(cString: rd_kafka_topic_result_name(topic))
            switch rd_kafka_topic_result_error(topic) {
            case RD_KAFKA_RESP_ERR_NO_ERROR: creations[name] = .created
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: creations[name] = .alreadyExists
            case let code:
                let text = rd_kafka_topic_result_error_string(topic).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(code))
                throw KafkaError(kind: .admin, code: code.rawValue, message: "topic \(name): \(text)", isRetriable: RDKafka.isRetriable(code))
            }
        }
        return creations
    }
}
