import Foundation
import Synchronization
import LayarKafka
import LayarPostgres
import LayarSchema
import LayarTestSupport
import Testing

@testable import LayarRuntime

/// The outbox relay and the inbox consumer against real PostgreSQL and the Kafka protocol.
@Suite("Outbox and inbox")
struct OutboxInboxTests {
    /// Outbox payloads are sealed; the runtime layer's tests keep their keys in memory.
    static let cipher = PersonalDataCipher(keys: .random(), clock: clock.clock)
    /// The one clock of the suite's outboxes, relays and ciphers.
    static let clock = TestClock()

    /// Fails the first application of each referral whose tracking code is "FAIL-ONCE".
    final class FailOnce: Sendable {
        private let failed = Mutex(Set<String>())
        func shouldFail(_ referralID: String) -> Bool { failed.withLock { $0.insert(referralID).inserted } }
        var count: Int { failed.withLock { $0.count } }
    }

    /// Counts applications of each referral's events in the scratch schema.
    struct CountingHandler: EventHandler {
        let failOnce = FailOnce()
        let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType]

        func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
            let submitted = try event.decode(Layar_V1_ReferralSubmitted.self)
            try await connection.query(
                """
                INSERT INTO applied (referral_id, times) VALUES ($1, 1)
                ON CONFLICT (referral_id) DO UPDATE SET times = applied.times + 1
                """, [submitted.referralID])
            // Fails after writing: the rollback must take the write and the inbox row with it.
            if submitted.trackingCode == "FAIL-ONCE" && failOnce.shouldFail(submitted.referralID) {
                throw PostgresError(kind: .server, sqlState: "XX000", message: "injected failure")
            }
        }
    }

    /// Applies like ``CountingHandler``, 20 ms per event, and counts what this consumer applied.
    struct SlowHandler: EventHandler {
        final class Tally: Sendable {
            let applied = Mutex(0)
            var count: Int { applied.withLock { $0 } }
        }
        let tally = Tally()
        let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType]

        func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
            try await CountingHandler().handle(event, on: connection)
            try await Task.sleep(for: .milliseconds(20))
            tally.applied.withLock { $0 += 1 }
        }
    }

    static func prepare() async throws -> (ScratchDatabase, KafkaProducer) {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: [
            RuntimeMigrations.outboxAndInbox, RuntimeMigrations.outboxTraceContext, RuntimeMigrations.outboxParkedTopics,
            PostgresMigration(
                version: 2, name: "test table", sql: "CREATE TABLE applied (referral_id text PRIMARY KEY, times integer NOT NULL)"
            ),
        ], logger: TestEnvironment.logger).migrate(database.pool)
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: try TestEnvironment.kafkaBrokers()), logger: TestEnvironment.logger
        )
        return (database, producer)
    }

    static func message(id: String, event: Layar_V1_ReferralSubmitted, offset: Int64) throws -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: LayarTopic.intakeReferrals.rawValue, partition: 0, offset: offset, key: Array(event.referralID.utf8),
            value: try event.serializedBytes(),
            headers: CloudEventHeaders.make(
                id: id, type: Layar_V1_ReferralSubmitted.eventType, source: "/layar/intake", subject: event.referralID,
                time: OutboxInboxTests.clock.now
            )
        )
    }

    func inbox(
        _ database: ScratchDatabase, _ producer: KafkaProducer, name: String, handler: CountingHandler = CountingHandler()
    ) throws -> InboxConsumer {
        var consumer = InboxConsumer(
            name: name, topics: [LayarTopic.intakeReferrals.rawValue], handler: handler, pool: database.pool,
            producer: producer, kafka: try TestEnvironment.kafkaEndpoint(), logger: TestEnvironment.logger
        )
        consumer.maximumAttempts = 3
        return consumer
    }

    @Test("a redelivered event is applied once")
    func redeliveryAppliedOnce() async throws {
        let (database, producer) = try await Self.prepare()
        let inbox = try inbox(database, producer, name: "test.inbox.\(database.schema)")
        let event = Layar_V1_ReferralSubmitted.with { $0.referralID = UUID().uuidString.lowercased() }
        let eventID = UUID().uuidString.lowercased()
        // The same event three times (a redelivery after a crash, then a replay), then a new event.
        for offset in 0..<3 { try await inbox.process(try Self.message(id: eventID, event: event, offset: Int64(offset))) }
        try await inbox.process(try Self.message(id: UUID().uuidString, event: event, offset: 3))
        let times = try await database.pool.query("SELECT times FROM applied WHERE referral_id = $1", [event.referralID])
        #expect(try times.first?.decode(Int.self, "times") == 2)
        let recorded = try #require(try await database.pool.query("SELECT count(*) AS n FROM inbox").first).decode(Int.self, "n")
        #expect(recorded == 2)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("a failed application rolls back and is retried, then applied once")
    func failureRetried() async throws {
        let (database, producer) = try await Self.prepare()
        let handler = CountingHandler()
        let inbox = try inbox(database, producer, name: "test.inbox.\(database.schema)", handler: handler)
        let event = Layar_V1_ReferralSubmitted.with {
            $0.referralID = UUID().uuidString.lowercased()
            $0.trackingCode = "FAIL-ONCE"
        }
        try await inbox.process(try Self.message(id: UUID().uuidString, event: event, offset: 0))
        let times = try await database.pool.query("SELECT times FROM applied WHERE referral_id = $1", [event.referralID])
        #expect(try times.first?.decode(Int.self, "times") == 1)
        #expect(handler.failOnce.count == 1)
        let recorded = try #require(try await database.pool.query("SELECT count(*) AS n FROM inbox").first).decode(Int.self, "n")
        #expect(recorded == 1)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("a batch shares one transaction; a failure in it rolls it back and each event is applied once, alone")
    func batchFallsBackToSingles() async throws {
        let (database, producer) = try await Self.prepare()
        let handler = CountingHandler()
        let inbox = try inbox(database, producer, name: "test.inbox.\(database.schema)", handler: handler)
        let events = (0..<5).map { index in
            Layar_V1_ReferralSubmitted.with {
                $0.referralID = UUID().uuidString.lowercased()
                $0.trackingCode = index == 3 ? "FAIL-ONCE" : "OK"
            }
        }
        var batch = try events.enumerated().map { try Self.message(id: UUID().uuidString, event: $1, offset: Int64($0)) }
        batch.append(batch[1])  // a redelivery inside the batch
        batch.append(KafkaConsumerMessage(topic: LayarTopic.intakeReferrals.rawValue, partition: 0, offset: 9, key: nil, value: [0x01], headers: []))
        try await inbox.process(batch)

        let times = try await database.pool.query("SELECT times FROM applied ORDER BY referral_id").map { try $0.decode(Int.self, "times") }
        #expect(times == [1, 1, 1, 1, 1], "the rolled-back batch left nothing behind; each event applied once")
        #expect(handler.failOnce.count == 1)
        let recorded = try #require(try await database.pool.query("SELECT count(*) AS n FROM inbox").first).decode(Int.self, "n")
        #expect(recorded == 5)

        // A clean batch: one transaction, every event applied.
        let clean = try (0..<3).map { offset in
            try Self.message(id: UUID().uuidString, event: .with { $0.referralID = UUID().uuidString.lowercased() }, offset: Int64(20 + offset))
        }
        try await inbox.process(clean)
        let all = try #require(try await database.pool.query("SELECT count(*) AS n FROM applied").first).decode(Int.self, "n")
        #expect(all == 8)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("poison messages go to the dead-letter topic with the reason, and nothing is applied")
    func poisonToDeadLetter() async throws {
        let (database, producer) = try await Self.prepare()
        let name = "test.inbox.\(database.schema)"
        let inbox = try inbox(database, producer, name: name)
        let garbage = KafkaConsumerMessage(
            topic: LayarTopic.intakeReferrals.rawValue, partition: 0, offset: 7, key: Array("k".utf8),
            value: [0xff, 0x00, 0x13], headers: []
        )
        var undecodable = try Self.message(
            id: UUID().uuidString, event: .with { $0.referralID = "x" }, offset: 8
        )
        undecodable.value = [0xff, 0xff, 0xff, 0xff]
        try await inbox.process(garbage)
        try await inbox.process(undecodable)

        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: try TestEnvironment.kafkaBrokers(), groupID: "dlq-reader-\(database.schema)",
            topics: [inbox.deadLetterTopic]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        let reader = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        var letters: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        for try await message in reader.messages {
            letters.append(message)
            if letters.count == 2 || ContinuousClock.now > deadline { break }
        }
        await reader.close()
        #expect(letters.count == 2)
        // Different keys, so different partitions: find each letter by its original offset.
        let noHeaders = letters.first { $0.headers.text("layar_dlq_offset") == "7" }
        let badPayload = letters.first { $0.headers.text("layar_dlq_offset") == "8" }
        #expect(noHeaders?.value == [0xff, 0x00, 0x13])
        #expect(noHeaders?.headers.text("layar_dlq_reason")?.contains("ce_specversion") == true)
        #expect(noHeaders?.headers.text("layar_dlq_topic") == LayarTopic.intakeReferrals.rawValue)
        #expect(badPayload?.headers.text("layar_dlq_reason")?.contains("undecodable") == true)
        #expect(badPayload?.headers.text("ce_id") != nil, "the original headers are kept")
        let applied = try #require(try await database.pool.query("SELECT count(*) AS n FROM applied").first).decode(Int.self, "n")
        #expect(applied == 0)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("a second member joining while the first applies a batch splits the partitions; nothing is applied twice")
    func rebalanceMidBatch() async throws {
        let (database, producer) = try await Self.prepare()
        let name = "test.rebalance.\(database.schema)"
        let topic = name  // auto-created with 4 partitions
        let referralIDs = (0..<600).map { _ in UUID().uuidString.lowercased() }
        func publish(_ ids: ArraySlice<String>) async throws {
            _ = try await producer.send(try ids.map { referralID in
                KafkaProducerRecord(
                    topic: topic, key: Array(referralID.utf8),
                    value: try Layar_V1_ReferralSubmitted.with { $0.referralID = referralID }.serializedBytes(),
                    headers: CloudEventHeaders.make(
                        id: UUID().uuidString, type: Layar_V1_ReferralSubmitted.eventType, source: LayarServiceName.intake.eventSource,
                        subject: referralID, time: OutboxInboxTests.clock.now
                    )
                )
            })
        }
        try await publish(referralIDs.prefix(300))
        func member(_ handler: SlowHandler) throws -> InboxConsumer {
            InboxConsumer(
                name: name, topics: [topic], handler: handler, pool: database.pool, producer: producer,
                kafka: try TestEnvironment.kafkaEndpoint(), logger: TestEnvironment.logger
            )
        }
        func applied() async throws -> Int {
            try #require(try await database.pool.query("SELECT count(*) AS n FROM applied").first).decode(Int.self, "n")
        }
        let first = SlowHandler()
        let second = SlowHandler()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await member(first).run() }
            let deadline = ContinuousClock.now + .seconds(90)
            while first.tally.count < 20, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            // Mid-batch (a batch of 100 takes two seconds): the group rebalances.
            group.addTask { try await member(second).run() }
            // The second wave comes once both are members: each applies its partitions' share.
            try await Task.sleep(for: .seconds(8))
            try await publish(referralIDs.suffix(300))
            while try await applied() < referralIDs.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            group.cancelAll()
        }
        let counts = try #require(try await database.pool.query(
            "SELECT count(*) AS n, count(*) FILTER (WHERE times <> 1) AS doubled FROM applied"
        ).first)
        #expect(try counts.decode(Int.self, "n") == referralIDs.count)
        #expect(try counts.decode(Int.self, "doubled") == 0)
        let inbox = try #require(try await database.pool.query("SELECT count(*) AS n FROM inbox WHERE consumer = $1", [name]).first)
        #expect(try inbox.decode(Int.self, "n") == referralIDs.count)
        #expect(first.tally.count > 0 && second.tally.count > 0, "both members applied events (\(first.tally.count), \(second.tally.count))")
        await producer.shutdown()
        try await database.drop()
    }

    @Test("the relay publishes committed events in order with CloudEvents headers, once")
    func relayPublishes() async throws {
        let (database, producer) = try await Self.prepare()
        let referralID = UUID().uuidString.lowercased()
        let outbox = Outbox(cipher: OutboxInboxTests.cipher, clock: OutboxInboxTests.clock.clock)
        var eventIDs: [UUID] = []
        try await database.pool.withTransaction { connection in
            for code in ["A", "B", "C"] {
                eventIDs.append(try await outbox.append(
                    Layar_V1_ReferralSubmitted.with {
                        $0.referralID = referralID
                        $0.trackingCode = code
                    }, on: connection
                ))
            }
        }
        // A rolled-back state change takes its event with it.
        struct Abort: Error {}
        _ = try? await database.pool.withTransaction { connection in
            try await outbox.append(Layar_V1_ReferralSubmitted.with {
                $0.referralID = referralID
                $0.trackingCode = "ROLLED-BACK"
            }, on: connection)
            throw Abort()
        }
        let relay = OutboxRelay(pool: database.pool, producer: producer, cipher: OutboxInboxTests.cipher, source: LayarServiceName.intake.eventSource,
            clock: OutboxInboxTests.clock.clock, logger: TestEnvironment.logger
        )
        #expect(try await relay.publishBatch() == 3)
        #expect(try await relay.publishBatch() == 0)
        let unpublished = try #require(try await database.pool.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL").first)
        #expect(try unpublished.decode(Int.self, "n") == 0)

        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: try TestEnvironment.kafkaBrokers(), groupID: "relay-reader-\(database.schema)",
            topics: [LayarTopic.intakeReferrals.rawValue]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        let reader = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        var mine: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        for try await message in reader.messages where ContinuousClock.now < deadline {
            if message.key == Array(referralID.utf8) { mine.append(message) }
            if mine.count == 3 { break }
        }
        await reader.close()
        let events = try mine.map { try Layar_V1_ReferralSubmitted(serializedBytes: $0.value) }
        #expect(events.map(\.trackingCode) == ["A", "B", "C"])
        #expect(mine.map { $0.headers.text("ce_id") } == eventIDs.map { $0.uuidString.lowercased() })
        #expect(mine.allSatisfy { $0.headers.text("ce_type") == Layar_V1_ReferralSubmitted.eventType })
        #expect(mine.allSatisfy { $0.headers.text("ce_subject") == referralID })
        #expect(mine.allSatisfy { $0.headers.text("content-type") == "application/protobuf" })
        #expect(mine.first?.headers.text("ce_time")?.hasSuffix("Z") == true)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("dead letters can be replayed to their original topic after a fix, once")
    func replayDeadLetters() async throws {
        let (database, producer) = try await Self.prepare()
        let name = "test.replay.\(database.schema)"
        let inbox = try inbox(database, producer, name: name)
        let original = "test.replay.origin.\(database.schema)"
        var poison = try Self.message(id: UUID().uuidString, event: .with { $0.referralID = UUID().uuidString }, offset: 3)
        poison.topic = original
        poison.value = [0xde, 0xad]
        try await inbox.process(poison)

        let replayer = DeadLetterReplayer(kafka: try TestEnvironment.kafkaEndpoint(), logger: TestEnvironment.logger)
        // The idle time covers the consumer group's first join.
        #expect(try await replayer.replay(topic: inbox.deadLetterTopic, idle: .seconds(15)) == 1)
        #expect(try await replayer.replay(topic: inbox.deadLetterTopic, idle: .seconds(8)) == 0, "not replayed twice")

        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: try TestEnvironment.kafkaBrokers(), groupID: "replay-reader-\(database.schema)", topics: [original]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        let reader = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        var iterator = reader.messages.makeAsyncIterator()
        var replayed: KafkaConsumerMessage?
        let deadline = ContinuousClock.now + .seconds(30)
        while replayed == nil && ContinuousClock.now < deadline {
            replayed = try await iterator.nextMessage(timeoutMilliseconds: 200)
        }
        await reader.close()
        #expect(replayed?.value == [0xde, 0xad])
        #expect(replayed?.headers.text("ce_id") == poison.headers.text("ce_id"))
        #expect(replayed?.headers.contains { $0.key.hasPrefix("layar_dlq_") } == false)
        await producer.shutdown()
        try await database.drop()
    }

    @Test("a topic that refuses its events is parked: the other topics' events go on, and its own once it is fixed")
    func refusingTopicParked() async throws {
        let (database, sharedProducer) = try await Self.prepare()
        await sharedProducer.shutdown()
        // A cluster of the test's own, where the new agency's topic refuses writes as an ACL
        // missing on a real Kafka would (TOPIC_AUTHORIZATION_FAILED).
        let cluster = try KafkaMockCluster(brokers: 1)
        let partnerTopic = "layar.partner.lks-baru.referrals.v1"
        cluster.setTopicError(partnerTopic, code: 29)
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.extra["topic.metadata.refresh.interval.ms"] = "200"  // sees the fix soon
        configuration.messageTimeoutMilliseconds = 3_000  // librdkafka gives up on the topic after this
        let producer = try KafkaProducer(configuration: configuration, logger: TestEnvironment.logger)
        let clock = TestClock()
        let outbox = Outbox(cipher: OutboxInboxTests.cipher, clock: clock.clock)
        try await database.pool.withTransaction { connection in
            _ = try await outbox.append(Layar_Partner_V1_ReferralOffer.with { $0.offerID = UUID().uuidString }, topic: partnerTopic, on: connection)
            _ = try await outbox.append(Layar_V1_ReferralSubmitted.with { $0.referralID = UUID().uuidString.lowercased() }, on: connection)
        }
        let relay = OutboxRelay(
            pool: database.pool, producer: producer, cipher: OutboxInboxTests.cipher, source: LayarServiceName.intake.eventSource, clock: clock.clock,
            logger: TestEnvironment.logger
        )
        func unpublished() async throws -> [String] {
            try await database.pool.query("SELECT topic FROM outbox WHERE published_at IS NULL ORDER BY id").map { try $0.decode(String.self, "topic") }
        }
        func parked() async throws -> [(topic: String, code: Int, attempts: Int)] {
            try await database.pool.query("SELECT topic, error_code, attempts FROM outbox_parked_topics").map {
                (try $0.decode(String.self, "topic"), try $0.decode(Int.self, "error_code"), try $0.decode(Int.self, "attempts"))
            }
        }

        // The intake event, behind the refused one in outbox order, goes out all the same.
        #expect(try await relay.publishBatch() == 1)
        #expect(try await unpublished() == [partnerTopic])
        let first = try #require(try await parked().first)
        // librdkafka 2.0 reports the topic's metadata error to the sender as a timeout (-192) while
        // the other topic's event was delivered; a broker refusing the write says 29.
        #expect(first.topic == partnerTopic && [29, -192].contains(first.code) && first.attempts == 1)
        // Parked: not tried again before its pause is over.
        clock.advance(1)
        #expect(try await relay.publishBatch() == 0)
        #expect(try await parked().first?.attempts == 1)

        // The operator grants the ACL; the next try after the pause publishes it and unparks.
        cluster.setTopicError(partnerTopic, code: 0)
        var published = 0
        for _ in 0..<40 where published == 0 {
            clock.advance(301)
            try await Task.sleep(for: .milliseconds(250))
            published = try await relay.publishBatch()
        }
        #expect(published == 1)
        #expect(try await unpublished().isEmpty)
        #expect(try await parked().isEmpty)
        await producer.shutdown()
        try await database.drop()
    }
}
