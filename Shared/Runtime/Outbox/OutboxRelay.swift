import Foundation
import LayarDomain
import LayarKafka
import LayarPostgres
import Logging
import ServiceLifecycle

/// Publishes committed outbox rows to Kafka, in insertion order, at least once.
///
/// Each round locks a batch of unpublished rows (`FOR UPDATE SKIP LOCKED`, so several replicas
/// share the work), sends them, **awaits every delivery report**, and only then marks them
/// published in the same transaction. A crash in between re-sends the same event ids, which
/// consumers absorb in their inbox. When idle it polls every `idleInterval`; published rows are
/// pruned after `retention`.
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
    public var retention: Duration = .seconds(7 * 24 * 3600)

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
                    if published < batchSize { try await Task.sleep(for: idleInterval) }
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
                SELECT id, event_id, topic, record_key, event_type, payload, occurred_at, traceparent FROM outbox
                WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                """, [batchSize])
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
            // published only once the broker acknowledged every record.
            _ = try await producer.send(records)
            let ids = try rows.map { String(try $0.decode(Int64.self, "id")) }
            try await connection.query(
                "UPDATE outbox SET published_at = $2 WHERE id = ANY($1::bigint[])", [PostgresTextArray(ids), clock.now]
            )
            for (topic, sent) in Dictionary(grouping: records, by: \.topic) { LayarMetrics.eventsProduced(topic: topic, count: sent.count) }
            logger.debug("published \(rows.count) outbox events")
            return rows.count
        }
    }

    private func prune() async throws {
        let cutoff = clock.now.addingTimeInterval(-retention.inSeconds)
        let deleted = try await pool.query("DELETE FROM outbox WHERE published_at < $1", [cutoff]).affectedRows
        if deleted > 0 { logger.info("pruned \(deleted) published outbox events") }
    }
}
