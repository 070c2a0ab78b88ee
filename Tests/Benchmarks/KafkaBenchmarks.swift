import ArgumentParser
import Foundation
import LayarKafka
import Logging

/// Produces `count` messages of `size` bytes through the LAYAR Kafka layer (idempotent producer,
/// batches awaited on their delivery reports, several batches in flight).
struct KafkaProduce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kafka-produce", abstract: "Produce through the LAYAR Kafka layer.")
    @Option(help: "Kafka bootstrap servers.") var brokers = ProcessInfo.processInfo.environment["KAFKA_BROKERS"] ?? "127.0.0.1:9092"
    @Option(help: "Topic.") var topic: String
    @Option(help: "Messages.") var count = 1_000_000
    @Option(help: "Bytes per message.") var size = 500
    @Option(help: "Messages per awaited batch.") var batch = 10_000
    @Option(help: "Batches in flight.") var concurrency = 8
    @Flag(help: "Give each message its own key, spreading messages evenly over the partitions.") var keyed = false

    func run() async throws {
        var logger = Logger(label: "layar-bench")
        logger.logLevel = .warning
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers)
        configuration.extra["queue.buffering.max.messages"] = "1000000"
        configuration.topics = [topic]
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let value = [UInt8](repeating: 0x61, count: size)
        // Plain locals: option wrappers are slow to read a million times.
        let (topic, count, batch, concurrency, keyed) = (topic, count, batch, concurrency, keyed)
        let batches = (count + batch - 1) / batch
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<batches {
                if index >= concurrency { try await group.next() }
                let records = (0..<min(batch, count - index * batch)).map { offset in
                    KafkaProducerRecord(topic: topic, key: keyed ? Array(String(index * batch + offset).utf8) : nil, value: value)
                }
                group.addTask { _ = try await producer.send(records) }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        await producer.shutdown()
        print(String(format: "layar produce: %d x %d B in %.2f s, %.0f msg/s", count, size, seconds, Double(count) / seconds))
        print(String(format: "SECONDS %.3f", seconds))
    }
}

/// Consumes `count` messages with a new consumer group through the LAYAR Kafka layer.
struct KafkaConsume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kafka-consume", abstract: "Consume through the LAYAR Kafka layer.")
    @Option(help: "Kafka bootstrap servers.") var brokers = ProcessInfo.processInfo.environment["KAFKA_BROKERS"] ?? "127.0.0.1:9092"
    @Option(help: "Topic.") var topic: String
    @Option(help: "Messages to read.") var count: Int

    func run() async throws {
        var logger = Logger(label: "layar-bench")
        logger.logLevel = .warning
        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: brokers, groupID: "layar-bench-\(UUID().uuidString.prefix(8))", topics: [topic]
        )
        let started = ContinuousClock.now
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var read = 0
        var first: ContinuousClock.Instant?
        var messages = consumer.messages.makeAsyncIterator()
        // Gives up after two idle minutes rather than waiting forever for messages that are not there.
        while read < count, let message = try await messages.nextMessage(timeoutMilliseconds: 120_000) {
            _ = message
            first = first ?? .now
            read += 1
        }
        let total = (ContinuousClock.now - started).inSeconds
        let streaming = (ContinuousClock.now - (first ?? started)).inSeconds
        await consumer.close()
        print(String(format: "layar consume: %d messages in %.2f s (%.2f s after the first), %.0f msg/s", read, total, streaming, Double(read) / total))
        print(String(format: "SECONDS %.3f", total))
    }
}
