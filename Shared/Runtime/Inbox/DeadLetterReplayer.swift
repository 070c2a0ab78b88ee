import LayarKafka
import Logging

/// Re-drives dead letters after a fix: reads a dead-letter topic (`<consumer>.dlq`) and produces
/// each record back to the topic it came from, with its original key, value and headers (minus
/// the `layar_dlq_*` reason headers). The consumer's inbox keeps replays harmless: an event that
/// was meanwhile applied is skipped. The replayer's own consumer group remembers what it
/// replayed, so running it twice does not replay twice.
public struct DeadLetterReplayer: Sendable {
    public var kafka: KafkaEndpoint
    public var logger: Logger

    public init(kafka: KafkaEndpoint, logger: Logger) {
        self.kafka = kafka
        self.logger = logger
    }

    /// The replayer's group for `topic`: under the operators' group prefix (`layarctl-`), which
    /// their Kafka principal may use (see `KafkaAccessTable`).
    public static func groupID(replaying topic: String) -> String { "layarctl-replay.\(topic)" }

    /// Replays up to `limit` dead letters of `topic`, stopping after `idle` without new ones (the
    /// idle time also covers joining the consumer group, a few seconds). Returns how many were
    /// replayed.
    public func replay(topic: String, limit: Int = .max, idle: Duration = .seconds(15)) async throws -> Int {
        var configuration = KafkaConsumerConfiguration(endpoint: kafka, groupID: Self.groupID(replaying: topic), topics: [topic])
        configuration.clientID = "layar.dlq-replayer"
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let producer = try KafkaProducer(configuration: .init(endpoint: kafka), logger: logger)
        var replayed = 0
        do {
            var iterator = consumer.messages.makeAsyncIterator()
            while replayed < limit, let message = try await Self.next(&iterator, within: idle) {
                guard let original = message.headers.text("layar_dlq_topic"), !original.isEmpty else {
                    logger.warning("dead letter without layar_dlq_topic at \(message.partition)@\(message.offset): skipped")
                    try consumer.storeOffset(of: message)
                    continue
                }
                _ = try await producer.send(KafkaProducerRecord(
                    topic: original, key: message.key, value: message.value,
                    headers: message.headers.filter { !$0.key.hasPrefix("layar_dlq_") }
                ))
                try consumer.storeOffset(of: message)
                replayed += 1
            }
            try await consumer.commit()
        } catch {
            await consumer.close()
            await producer.shutdown()
            throw error
        }
        await consumer.close()
        await producer.shutdown()
        logger.info("replayed \(replayed) dead letters from \(topic)")
        return replayed
    }

    /// The next message, or nil when none came within `idle`.
    private static func next(
        _ iterator: inout KafkaConsumer.Messages.Iterator, within idle: Duration
    ) async throws -> KafkaConsumerMessage? {
        let deadline = ContinuousClock.now + idle
        while ContinuousClock.now < deadline {
            if let message = try await iterator.nextMessage(timeoutMilliseconds: 200) { return message }
        }
        return nil
    }
}
