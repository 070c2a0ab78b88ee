import CRDKafka

/// An error from the Kafka layer, carrying librdkafka's error code and text.
///
/// `isRetriable` tells callers whether trying again may succeed (a broker down, a full queue);
/// `isFatal` means the client instance can no longer be used and must be recreated.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The configuration was refused by librdkafka.
        case configuration
        /// The client handle could not be created.
        case clientCreation
        /// A message could not be enqueued for production.
        case produce
        /// The broker did not acknowledge a message: it is **not** published.
        case delivery
        /// Consuming, subscribing or storing offsets failed.
        case consume
        /// The client was closed before the operation.
        case closed
        /// The mock cluster refused a request.
        case mockCluster
        /// An Admin API request (creating topics) failed.
        case admin
    }

    public var kind: Kind
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`), 0 when not applicable.
    public var code: Int32
    public var message: String
    public var isRetriable: Bool
    public var isFatal: Bool

    public init(kind: Kind, code: Int32 = 0, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.kind = kind
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String { "Kafka \(kind) error \(code): \(message)" }

    /// The topic itself refused the message: it does not exist, this client may not write it, or
    /// it will not take a message of that size. Sending again soon fails the same way, and other
    /// topics are not affected (an operator has to create the topic or grant the ACL).
    public var concernsTopic: Bool { Self.topicCodes.contains(code) }

    private static let topicCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
        RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
    ].reduce(into: []) { $0.insert($1.rawValue) }
}
