import Foundation
import LayarDomain
import LayarJobs
import LayarKafka
import LayarPostgres
import Logging
import ServiceLifecycle

/// Publishes committed outbox rows to Kafka, in insertion order, at least once.
///
/// Each round locks a batch of unpublished rows (`FOR UPDATE SKIP LOCKED`, so several replicas
/// share the work), sends them, **awaits every delivery report**, and only then marks them
/// published in the same transaction. A crash in between re-sends the same event ids, which
/// consumers absorb in their inbox. When idle it waits for the outbox's change notification
/// (``wakeup``: the `outbox_notify` trigger, heard by ``TableWakeups``), for a parked topic's next
/// try, or at most ``idleLimit``; without a wake-up (unit tests) it polls every `idleInterval`.
/// Published rows are pruned after `retention`.
///
/// A topic that refuses its events is **parked** (`outbox_parked_topics`): its events wait, in
/// order, while every other topic's go on; it is tried again after a growing pause (up to
/// ``maximumParkingPause``) and unparked once its events go through. A topic refuses when the
/// broker says so (it does not exist, or the service may not write it: ``KafkaError/concernsTopic``)
/// or when its events fail while another topic's were delivered in the same round (librdkafka
/// reports a topic whose metadata is in error only as a timeout). When nothing got through, the
/// round fails and is retried whole, as before: the broker, not a topic, is the problem. Parked
/// topics are logged as errors and counted (`layar_outbox_parked_topics`,
/// `layar_outbox_parked_events_total`) for alerts. Each try of a parked topic can hold a round for
/// up to the producer's `message.timeout.ms`; the pauses keep that to one round in five minutes.
public struct OutboxRelay: Service {
    public var pool: PostgresPool
    public var producer: KafkaProducer
    public var cipher: PersonalDataCipher
    /// CloudEvents source, e.g. "/layar/intake".
    public var source: String
    /// Stamps `published_at` and decides which published rows are old enough to prune.
    public var clock: LayarClock
    public var logger: Logger
    public var batchSize = 200
    public var idleInterval: Duration = .milliseconds(50)
    /// Ends idle waits when events are committed; nil: poll every `idleInterval`.
    public var wakeup: Wakeup?
    /// The longest idle wait with a wake-up: a safety net, not the way events are found.
    public var idleLimit: Duration = RecurringJob.wokenIdleLimit
    public var retention: Duration = .seconds(7 * 24 * 3600)
    /// The longest pause before a parked topic is tried again.
    public var maximumParkingPause: Duration = .seconds(300)

    public init(
        pool: PostgresPool, producer: KafkaProducer, cipher: PersonalDataCipher, source: String, clock: LayarClock, logger: Logger
    ) {
        self.pool = pool
        self.producer = producer
        self.cipher = cipher
        self.source = source
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        // Stop between rounds on graceful shutdown; a round in progress finishes its batch.
        await cancelWhenGracefulShutdown {
            var failures = 0
            var lastPrune = ContinuousClock.now - .seconds(3600)
            while !Task.isCancelled {
                do {
                    let published = try await publishBatch()
                    failures = 0
                    if ContinuousClock.now - lastPrune > .seconds(600) {
                        try await prune()
                        lastPrune = .now
                    }
                    if published < batchSize {
                        if let wakeup {
                            await wakeup.wait(upTo: try await nextParkedTry() ?? idleLimit)
                        } else {
                            try await Task.sleep(for: idleInterval)
                        }
                    }
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    let delay = Backoff.delay(attempt: failures)
                    logger.warning("outbox relay round failed, retrying in \(delay): \(error)")
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }

    /// Publishes one batch; returns how many rows it published.
    public func publishBatch() async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT o.id, o.event_id, o.topic, o.record_key, o.event_type, o.payload, o.occurred_at, o.traceparent,
                    p.topic IS NOT NULL AS parked
                FROM outbox o LEFT JOIN outbox_parked_topics p ON p.topic = o.topic
                WHERE o.published_at IS NULL AND (p.retry_at IS NULL OR p.retry_at <= $2)
                ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED
                """, [batchSize, clock.now])
            guard !rows.isEmpty else { return 0 }
            let records = try rows.map { row in
                let eventID = try row.decode(UUID.self, "event_id").uuidString.lowercased()
                let key = try row.decode(String.self, "record_key")
                var headers = CloudEventHeaders.make(
                    id: eventID, type: try row.decode(String.self, "event_type"), source: source, subject: key,
                    time: try row.decode(Date.self, "occurred_at")
                )
                let traceParent = try row.decode(String.self, "traceparent")
                if !traceParent.isEmpty { headers.append(KafkaHeader(key: "traceparent", text: traceParent)) }
                return KafkaProducerRecord(
                    topic: try row.decode(String.self, "topic"), key: Array(key.utf8),
                    value: try cipher.open(try row.decode([UInt8].self, "payload"), Outbox.payloadField), headers: headers
                )
            }
            // Sent in outbox order (the idempotent producer keeps it per partition); marked
            // published only once the broker acknowledged the record.
            let results = try await producer.sendEach(records)
            var published: [String] = []
            var delivered: [String: Int] = [:]
            var wereParked: Set<String> = []
            for (row, (record, result)) in zip(rows, zip(records, results)) {
                if try row.decode(Bool.self, "parked") { wereParked.insert(record.topic) }
                if case .success = result {
                    published.append(String(try row.decode(Int64.self, "id")))
                    delivered[record.topic, default: 0] += 1
                }
            }
            var refused: [String: (error: KafkaError, count: Int)] = [:]
            for (record, result) in zip(records, results) {
                guard case .failure(let error) = result else { continue }
                let othersGotThrough = delivered.keys.contains { $0 != record.topic }
                guard error.concernsTopic || othersGotThrough else { throw error }  // the round is retried whole
                refused[record.topic] = (error, (refused[record.topic]?.count ?? 0) + 1)
            }
            try await connection.query(
                "UPDATE outbox SET published_at = $2 WHERE id = ANY($1::bigint[])", [PostgresTextArray(published), clock.now]
            )
            let unparked = try await unpark(wereParked.subtracting(refused.keys), on: connection)
            for (topic, refusal) in refused.sorted(by: { $0.key < $1.key }) {
                try await park(topic, error: refusal.error, events: refusal.count, on: connection)
            }
            if unparked || !refused.isEmpty { try await recordParkedCount(on: connection) }
            for (topic, count) in delivered { LayarMetrics.eventsProduced(topic: topic, count: count) }
            logger.debug("published \(published.count) outbox events")
            return published.count
        }
    }

    /// Holds back `topic`'s events after a refusal: tried again after 2, 4, 8... seconds, at most
    /// ``maximumParkingPause``.
    private func park(_ topic: String, error: KafkaError, events: Int, on connection: PostgresConnection) async throws {
        let row = try await connection.query(
            """
            INSERT INTO outbox_parked_topics AS p (topic, error_code, reason, parked_at, attempts, retry_at)
            VALUES ($1, $2, $3, $4, 1, $4::timestamptz + make_interval(secs => $5))
            ON CONFLICT (topic) DO UPDATE SET error_code = $2, reason = $3, attempts = p.attempts + 1,
                retry_at = $4::timestamptz + make_interval(secs => least($6, $5 * power(2, p.attempts)))
            RETURNING attempts
            """,
            [topic, Int(error.code), error.message, clock.now, 2.0, maximumParkingPause.inSeconds]
        ).first
        let attempts = try row?.decode(Int.self, "attempts") ?? 1
        LayarMetrics.outboxParked(topic: topic, events: events)
        logger.error(
            "outbox topic \(topic) refused \(events) events (attempt \(attempts)): \(error); its events wait, other topics go on",
            metadata: ["topic": "\(topic)", "kafka_error": "\(error.code)"]
        )
    }

    /// Releases parked topics whose events went through this round; answers whether any was.
    private func unpark(_ topics: Set<String>, on connection: PostgresConnection) async throws -> Bool {
        guard !topics.isEmpty else { return false }
        let released = try await connection.query(
            "DELETE FROM outbox_parked_topics WHERE topic = ANY($1::text[]) RETURNING topic", [PostgresTextArray(topics.sorted())]
        ).map { try $0.decode(String.self, "topic") }
        for topic in released { logger.notice("outbox topic \(topic) takes events again; unparked") }
        return !released.isEmpty
    }

    private func recordParkedCount(on connection: PostgresConnection) async throws {
        let count = try await connection.query("SELECT count(*) AS n FROM outbox_parked_topics").first?.decode(Int.self, "n") ?? 0
        LayarMetrics.outboxParkedTopics(count)
    }

    /// How long until a parked topic with waiting events may be tried again (nil: none is).
    private func nextParkedTry() async throws -> Duration? {
        let row = try await pool.query(
            """
            SELECT min(p.retry_at) AS retry_at FROM outbox_parked_topics p
            WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.topic = p.topic AND o.published_at IS NULL)
            """
        ).first
        return try row?.decode(Date?.self, "retry_at").map { min(.until($0, from: clock.now), idleLimit) }
    }

    private func prune() async throws {
        let cutoff = clock.now.addingTimeInterval(-retention.inSeconds)
        let deleted = try await pool.query("DELETE FROM outbox WHERE published_at < $1", [cutoff]).affectedRows
        if deleted > 0 { logger.info("pruned \(deleted) published outbox events") }
    }
}
