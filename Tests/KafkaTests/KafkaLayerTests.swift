import Foundation
import LayarKafka
import LayarTestSupport
import Testing

/// The Kafka layer over the real Kafka protocol: the dev broker started by deploy/local/test.sh
/// (or a real Kafka in KAFKA_BROKERS), and an in-process mock cluster for injected faults.
@Suite("Kafka layer")
struct KafkaLayerTests {
    static func uniqueTopic() -> String { "test.kafka.\(UUID().uuidString.prefix(8).lowercased())" }

    static func consumer(_ brokers: String, group: String, topic: String) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: group, topics: [topic])
        configuration.sessionTimeoutMilliseconds = 6_000
        return try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
    }

    /// Reads `count` messages or fails after `timeout`.
    static func read(_ count: Int, from consumer: KafkaConsumer, timeout: Duration = .seconds(30)) async throws -> [KafkaConsumerMessage] {
        try await withThrowingTaskGroup(of: [KafkaConsumerMessage].self) { group in
            group.addTask {
                var messages: [KafkaConsumerMessage] = []
                for try await message in consumer.messages {
                    messages.append(message)
                    if messages.count == count { break }
                }
                return messages
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            let next = try await group.next()
            let first = try #require(next)
            group.cancelAll()
            return first
        }
    }

    @Test("a produced message is consumed with its key, value and headers")
    func roundTrip() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = Self.uniqueTopic()
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers), logger: TestEnvironment.logger)
        let report = try await producer.send(KafkaProducerRecord(
            topic: topic, key: Array("referral-1".utf8), value: [1, 2, 3, 0, 255],
            headers: [KafkaHeader(key: "ce_type", text: "layar.test.v1"), KafkaHeader(key: "empty", value: [])]
        ))
        #expect(report.topic == topic)
        #expect(report.offset >= 0)
        await producer.shutdown()

        let consumer = try Self.consumer(brokers, group: "test-\(topic)", topic: topic)
        let message = try #require(try await Self.read(1, from: consumer).first)
        #expect(message.key == Array("referral-1".utf8))
        #expect(message.value == [1, 2, 3, 0, 255])
        #expect(message.headers.text("ce_type") == "layar.test.v1")
        #expect(message.headers.first { $0.key == "empty" }?.value == [])
        #expect(message.partition == report.partition && message.offset == report.offset)
        await consumer.close()
    }

    @Test("a consumer waiting on a quiet topic blocks in librdkafka, and cancelling it ends the wait at once")
    func cancelledWaitEndsAtOnce() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = Self.uniqueTopic()
        let consumer = try Self.consumer(brokers, group: "test-\(topic)", topic: topic)
        let waiting = Task {
            for try await _ in consumer.messages {}
        }
        try await Task.sleep(for: .milliseconds(500))  // well inside one long poll
        let cancelledAt = ContinuousClock.now
        waiting.cancel()
        try await waiting.value
        let took = ContinuousClock.now - cancelledAt
        // A poll of 5 s that went on to its timeout would take 4.5 s more here.
        #expect(took < .seconds(4), "the wait went on for \(took) after the cancellation")
        await consumer.close()
    }

    @Test("messages with one key keep their order, and a batch send waits for every acknowledgement")
    func ordering() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = Self.uniqueTopic()
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers), logger: TestEnvironment.logger)
        let records = (0..<200).map { KafkaProducerRecord(topic: topic, key: Array("same".utf8), value: Array("\($0)".utf8)) }
        let reports = try await producer.send(records)
        #expect(reports.count == 200)
        #expect(reports.map(\.offset) == reports.map(\.offset).sorted())
        await producer.shutdown()

        let consumer = try Self.consumer(brokers, group: "test-\(topic)", topic: topic)
        let values = try await Self.read(200, from: consumer).map { String(decoding: $0.value, as: UTF8.self) }
        #expect(values == (0..<200).map(String.init))
        await consumer.close()
    }

    @Test("stored offsets survive a consumer restart; unstored messages are read again")
    func offsetsSurviveRestart() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = Self.uniqueTopic()
        let group = "test-\(topic)"
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers), logger: TestEnvironment.logger)
        _ = try await producer.send((0..<10).map {
            KafkaProducerRecord(topic: topic, key: Array("k".utf8), value: Array("\($0)".utf8))
        })
        await producer.shutdown()

        // The first member processes (stores) 5 messages and reads a 6th it never stores.
        let first = try Self.consumer(brokers, group: group, topic: topic)
        let read = try await Self.read(6, from: first)
        for message in read.prefix(5) { try first.storeOffset(of: message) }
        try await first.commit()
        await first.close()

        let second = try Self.consumer(brokers, group: group, topic: topic)
        let rest = try await Self.read(5, from: second).map { String(decoding: $0.value, as: UTF8.self) }
        #expect(rest == ["5", "6", "7", "8", "9"])
        await second.close()
    }

    @Test("a consumer busy past max.poll.interval.ms is told it left its group; one keeping membership is not, and reads on")
    func slowConsumerMembership() async throws {
        let brokers = try TestEnvironment.kafkaBrokers()
        let topic = Self.uniqueTopic()
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers), logger: TestEnvironment.logger)
        _ = try await producer.send((0..<5).map { KafkaProducerRecord(topic: topic, key: Array("same".utf8), value: Array("\($0)".utf8)) })
        await producer.shutdown()

        func slowConsumer(group: String) throws -> KafkaConsumer {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: group, topics: [topic])
            configuration.sessionTimeoutMilliseconds = 6_000  // the broker's minimum
            configuration.maxPollIntervalMilliseconds = 7_000
            return try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        }
        /// Reads the first message, works on it for 11 s (past the poll interval), then reads
        /// whatever comes in the next 15 s.
        func work(_ consumer: KafkaConsumer, keepingMembership: Bool) async throws -> [String] {
            var iterator = consumer.messages.makeAsyncIterator()
            var values: [String] = []
            let joined = ContinuousClock.now + .seconds(30)
            while values.isEmpty, ContinuousClock.now < joined {
                if let message = try await iterator.nextMessage(timeoutMilliseconds: 200) { values.append(String(decoding: message.value, as: UTF8.self)) }
            }
            if keepingMembership {
                #expect(consumer.keepAliveInterval == .milliseconds(2_333))
                try await consumer.keepingMembership(every: consumer.keepAliveInterval) { try await Task.sleep(for: .seconds(11)) }
            } else {
                try await Task.sleep(for: .seconds(11))
            }
            let quiet = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < quiet {
                if let message = try await iterator.nextMessage(timeoutMilliseconds: 200) { values.append(String(decoding: message.value, as: UTF8.self)) }
            }
            await consumer.close()
            return values
        }
        let keeping = try slowConsumer(group: "test-keep-\(topic)")
        let lapsing = try slowConsumer(group: "test-lapse-\(topic)")
        async let kept = work(keeping, keepingMembership: true)
        async let lapsed = work(lapsing, keepingMembership: false)
        let (keptValues, lapsedValues) = try await (kept, lapsed)
        // Kept: in the group all along, every message once, in order.
        #expect(keeping.evictions == 0)
        #expect(keptValues == ["0", "1", "2", "3", "4"])
        // Lapsed: told (counted, logged as an error), and having stored no offset it reads from the start again.
        #expect(lapsing.evictions == 1)
        #expect(Array(lapsedValues.prefix(5)) == ["0", "1", "2", "3", "4"])
        #expect(lapsedValues.dropFirst(5).first == "0", "re-read after rejoining: \(lapsedValues)")
    }

    @Test("a message the cluster cannot take fails its send with a delivery error")
    func deliveryFailure() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("unreachable", partitions: 1)
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.messageTimeoutMilliseconds = 5_000  // Room for a busy machine; the failure takes this long.
        let producer = try KafkaProducer(configuration: configuration, logger: TestEnvironment.logger)
        // A first message proves the path works, then the only broker goes down.
        _ = try await producer.send(KafkaProducerRecord(topic: "unreachable", key: nil, value: [1]))
        try cluster.setBroker(1, up: false)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerRecord(topic: "unreachable", key: nil, value: [2]))
        }
        #expect(error?.kind == .delivery)
        await producer.shutdown(timeout: .seconds(2))
    }

    @Test("a send after shutdown is refused")
    func sendAfterShutdown() async throws {
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: try TestEnvironment.kafkaBrokers()), logger: TestEnvironment.logger
        )
        await producer.shutdown()
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerRecord(topic: Self.uniqueTopic(), key: nil, value: [1]))
        }
        #expect(error?.kind == .closed)
    }

    @Test("a bad setting is reported with its name")
    func badConfiguration() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.extra["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(configuration: configuration, logger: TestEnvironment.logger)
        }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("no.such.property") == true)
    }
}
