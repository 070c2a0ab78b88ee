import LayarJobs
import LayarKafka
import LayarPostgres
import Logging
import ServiceContextModule
import ServiceLifecycle

/// The read side: consumes topics in a consumer group and applies each event exactly once to
/// the service's database.
///
/// Per event: insert `(consumer, ce_id)` into `inbox` (a conflict means the event was already
/// applied: skip it) and run the handler, in one transaction; only after `COMMIT` store the Kafka
/// offsets. The messages already fetched (up to ``batchSize``) share one transaction, so a busy
/// consumer pays one commit for many events; if anything in the batch fails, it is rolled back
/// and its messages are applied one at a time. A crash anywhere re-delivers what was not stored,
/// and the inbox absorbs it. Database outages are retried with backoff for as long as they last;
/// an event the handler rejects, or one that still fails after ``maximumAttempts``, goes to the
/// dead-letter topic `<consumer>.dlq` with the reason in headers. While a batch is being applied
/// the consumer keeps its group membership (see ``KafkaConsumer/keepingMembership(every:_:)``);
/// were it put out anyway, that is logged and counted (`layar_consumer_evictions_total`).
public struct InboxConsumer: Service {
    /// Consumer name: the Kafka group id and the inbox's `consumer` column, e.g. "layar.verification".
    public var name: String
    public var topics: [String]
    public var handler: any EventHandler
    public var pool: PostgresPool
    public var producer: KafkaProducer
    /// The brokers, and the service's own principal on them.
    public var kafka: KafkaEndpoint
    public var logger: Logger
    public var maximumAttempts = 5
    /// At most this many already-fetched messages share a transaction.
    public var batchSize = 100

    public init(
        name: String, topics: [String], handler: any EventHandler, pool: PostgresPool, producer: KafkaProducer,
        kafka: KafkaEndpoint, logger: Logger
    ) {
        self.name = name
        self.topics = topics
        self.handler = handler
        self.pool = pool
        self.producer = producer
        self.kafka = kafka
        self.logger = logger
    }

    public var deadLetterTopic: String { "\(name).dlq" }

    public func run() async throws {
        var configuration = KafkaConsumerConfiguration(endpoint: kafka, groupID: name, topics: topics)
        configuration.clientID = name
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        // Graceful shutdown cancels the loop between messages; the message in hand is finished,
        // its offset stored, and close() commits before leaving the group.
        do {
            try await cancelWhenGracefulShutdown {
                var messages = consumer.messages.makeAsyncIterator()
                var evictionsReported = 0
                while let first = try await messages.next() {
                    // Whatever librdkafka has already fetched joins the batch; nothing waits for more.
                    var batch = [first]
                    while batch.count < batchSize, let next = try await messages.nextMessage(timeoutMilliseconds: 0) {
                        batch.append(next)
                    }
                    // A database outage can hold a batch for minutes: the consumer stays in its group meanwhile.
                    try await consumer.keepingMembership(every: consumer.keepAliveInterval) { try await process(batch) }
                    for message in batch { try consumer.storeOffset(of: message) }
                    if consumer.evictions > evictionsReported {
                        LayarMetrics.consumerEvicted(consumer: name, count: consumer.evictions - evictionsReported)
                        evictionsReported = consumer.evictions
                    }
                    for partition in consumer.lag {
                        LayarMetrics.consumerLag(consumer: name, topic: partition.topic, partition: partition.partition, lag: partition.lag)
                    }
                }
            }
        } catch is CancellationError {
            // Shutting down.
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    /// Applies a batch of messages in one transaction, or one by one when that fails. Returns when
    /// it is safe to store their offsets.
    func process(_ batch: [KafkaConsumerMessage]) async throws {
        guard batch.count > 1 else {
            if let message = batch.first { try await process(message) }
            return
        }
        var events: [InboundEvent] = []
        var unreadable: [KafkaConsumerMessage] = []
        for message in batch {
            guard let event = try? InboundEvent(message) else {
                unreadable.append(message)
                continue
            }
            if handler.eventTypes.contains(event.type) {
                events.append(event)
            } else {
                LayarMetrics.eventConsumed(consumer: name, topic: message.topic, outcome: "ignored")
            }
        }
        do {
            if !events.isEmpty {
                try await pool.withTransaction { connection in
                    for event in events { try await apply(event, on: connection) }
                }
            }
        } catch {
            logger.debug("batch of \(batch.count) failed (\(error)); applying its messages one at a time")
            for message in batch { try await process(message) }
            return
        }
        for message in unreadable { try await process(message) }  // dead-letters each with its reason
    }

    /// Applies one message (or dead-letters it). Returns when it is safe to store its offset.
    func process(_ message: KafkaConsumerMessage) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let event = try InboundEvent(message)
                guard handler.eventTypes.contains(event.type) else {
                    LayarMetrics.eventConsumed(consumer: name, topic: message.topic, outcome: "ignored")
                    return
                }
                try await apply(event)
                return
            } catch let rejection as EventRejection {
                try await deadLetter(message, reason: rejection.reason)
                return
            } catch {
                if !Self.isTransient(error) && attempt >= maximumAttempts {
                    try await deadLetter(message, reason: "failed after \(attempt) attempts: \(error)")
                    return
                }
                let delay = Backoff.delay(attempt: attempt)
                logger.warning(
                    "applying \(message.topic)/\(message.partition)@\(message.offset) failed, retry in \(delay): \(error)"
                )
                try await Task.sleep(for: delay)
            }
        }
    }

    private func apply(_ event: InboundEvent) async throws {
        try await pool.withTransaction { try await apply(event, on: $0) }
    }

    private func apply(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let inserted = try await connection.query(
            """
            INSERT INTO inbox (consumer, event_id, event_type, topic, kafka_partition, kafka_offset)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """,
            [name, event.id, event.type, event.message.topic, event.message.partition, event.message.offset]
        )
        guard inserted.affectedRows == 1 else {
            logger.debug("event \(event.id) already applied by \(name), skipped")
            LayarMetrics.eventConsumed(consumer: name, topic: event.message.topic, outcome: "duplicate")
            return
        }
        // The event's work continues its trace; what it logs and writes names the trace and the referral.
        var incoming = TracingContext.topLevel
        W3CTraceContextPropagator().extract(event.message.headers, into: &incoming, using: KafkaHeadersExtractor())
        var context = TracingContext.continuing(incoming.traceContext)
        context.referralID = event.subject
        try await TracingContext.withValue(context) {
            try await handler.handle(event, on: connection)
        }
        LayarMetrics.eventConsumed(consumer: name, topic: event.message.topic, outcome: "applied")
    }

    private func deadLetter(_ message: KafkaConsumerMessage, reason: String) async throws {
        LayarMetrics.eventConsumed(consumer: name, topic: message.topic, outcome: "dead_lettered")
        logger.error("dead-lettering \(message.topic)/\(message.partition)@\(message.offset): \(reason)")
        let headers = message.headers + [
            KafkaHeader(key: "layar_dlq_reason", text: reason),
            KafkaHeader(key: "layar_dlq_consumer", text: name),
            KafkaHeader(key: "layar_dlq_topic", text: message.topic),
            KafkaHeader(key: "layar_dlq_partition", text: String(message.partition)),
            KafkaHeader(key: "layar_dlq_offset", text: String(message.offset)),
        ]
        _ = try await producer.send(
            KafkaProducerRecord(topic: deadLetterTopic, key: message.key, value: message.value, headers: headers)
        )
    }

    /// Errors worth retrying without limit: the database is unreachable or briefly refused the work.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        switch error.kind {
        case .connection, .closed: return true
        case .server: return error.sqlState.map { $0.hasPrefix("40") || $0 == "57014" || $0.hasPrefix("08") || $0 == "57P01" } ?? false
        case .decoding: return false
        }
    }
}
