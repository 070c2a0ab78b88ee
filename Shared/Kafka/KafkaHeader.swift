/// A Kafka record header: a name and an opaque byte value (CloudEvents uses UTF-8 text).
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]

    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    public init(key: String, text: String) {
        self.init(key: key, value: Array(text.utf8))
    }

    /// The value read as UTF-8 text, `nil` when it is not valid UTF-8.
    public var text: String? { String(validating: value, as: UTF8.self) }
}

extension Array where Element == KafkaHeader {
    /// The text of the first header named `key`.
    public func text(_ key: String) -> String? { first { $0.key == key }?.text }
}
