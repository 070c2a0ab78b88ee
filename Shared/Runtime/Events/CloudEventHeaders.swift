import Foundation
import LayarKafka

/// CloudEvents 1.0 Kafka protocol binding, binary mode: attributes travel as `ce_` headers and
/// the record value is the protobuf payload. Any CloudEvents SDK (partners') can read it.
public enum CloudEventHeaders {
    public static let contentType = "application/protobuf"

    public static func make(id: String, type: String, source: String, subject: String, time: Date) -> [KafkaHeader] {
        [
            KafkaHeader(key: "ce_specversion", text: "1.0"),
            KafkaHeader(key: "ce_id", text: id),
            KafkaHeader(key: "ce_type", text: type),
            KafkaHeader(key: "ce_source", text: source),
            KafkaHeader(key: "ce_subject", text: subject),
            KafkaHeader(key: "ce_time", text: time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            KafkaHeader(key: "content-type", text: contentType),
        ]
    }
}
