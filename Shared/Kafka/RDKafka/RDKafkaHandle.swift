import CRDKafka
import Logging

/// Creation of librdkafka handles and the small conversions every client needs.
/// Nothing outside the `RDKafka` folder touches a C pointer.
enum RDKafka {
    /// Creates a producer or consumer handle from string properties.
    static func makeHandle(type: rd_kafka_type_t, properties: [String: String]) throws -> OpaquePointer {
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                // A secret's value never reaches the error (and so the log).
                let shown = key.hasSuffix("password") ? "<hidden>" : value
                throw KafkaError(kind: .configuration, message: "\(key)=\(shown): \(text(errorText))")
            }
        }
        if type == RD_KAFKA_PRODUCER {
            // Delivery reports, errors and logs arrive as events on the main queue.
            rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_LOG))
        }
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(kind: .clientCreation, message: text(errorText))
        }
        return handle
    }

    /// The text of a NUL-terminated error buffer.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func error(_ kind: KafkaError.Kind, _ code: rd_kafka_resp_err_t, isFatal: Bool = false) -> KafkaError {
        KafkaError(
            kind: kind, code: code.rawValue, message: String(cString: rd_kafka_err2str(code)),
            isRetriable: isRetriable(code), isFatal: isFatal
        )
    }

    /// Consumes and frees an `rd_kafka_error_t`.
    static func error(_ kind: KafkaError.Kind, taking error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        return KafkaError(
            kind: kind, code: rd_kafka_error_code(error).rawValue,
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0, isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    static func isRetriable(_ code: rd_kafka_resp_err_t) -> Bool {
        switch code {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT,
            RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
            return true
        default:
            return false
        }
    }

    /// Forwards a log, error or other non-message event to swift-log.
    static func log(event: OpaquePointer, to logger: Logger) {
        switch Int32(rd_kafka_event_type(event)) {
        case Int32(RD_KAFKA_EVENT_LOG):
            var facility: UnsafePointer<CChar>?
            var text: UnsafePointer<CChar>?
            var level: Int32 = 0
            guard rd_kafka_event_log(event, &facility, &text, &level) == 0 else { return }
            let message = text.map { String(cString: $0) } ?? ""
            let source = facility.map { String(cString: $0) } ?? "rdkafka"
            // syslog levels: 0..3 error, 4 warning, 5..6 info, 7 debug.
            let swiftLevel: Logger.Level = level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug
            logger.log(level: swiftLevel, "\(message)", metadata: ["rdkafka.facility": "\(source)"])
        case Int32(RD_KAFKA_EVENT_ERROR):
            let code = rd_kafka_event_error(event)
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            let fatal = rd_kafka_event_error_is_fatal(event) != 0
            logger.log(
                level: fatal ? .critical : .warning, "librdkafka error: \(text)",
                metadata: ["rdkafka.code": "\(code.rawValue)", "rdkafka.fatal": "\(fatal)"]
            )
        default:
            break
        }
    }

    /// Topic names by librdkafka topic handle, so a batch converts each name once.
    struct TopicNames {
        private var handle: OpaquePointer?
        private var name = ""

        mutating func name(of topic: OpaquePointer?) -> String {
            guard let topic else { return "" }
            if topic != handle {
                handle = topic
                name = String(cString: rd_kafka_topic_name(topic))
            }
            return name
        }
    }

    /// Copies a C message (payload, key, headers) into a Swift value.
    static func message(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNames) -> KafkaConsumerMessage {
        let raw = pointer.pointee
        let topic = topics.name(of: raw.rkt)
        let key = raw.key.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        let value = raw.payload.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let value = bytes.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: value))
                index += 1
            }
        }
        return KafkaConsumerMessage(
            topic: topic, partition: raw.partition, offset: raw.offset, key: key, value: value, headers: headers
        )
    }
}
