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
}
