import CRDKafka
import Foundation
import Logging
import Synchronization

/// Produces messages to Kafka and answers each send only when the broker acknowledged it.
///
/// One instance owns one librdkafka producer handle and a dedicated poll thread that serves its
/// event queue (delivery reports, errors, logs), so no librdkafka call blocks Swift's cooperative
/// thread pool. Idempotence is on by default: retries neither duplicate nor reorder messages.
/// Call ``shutdown(timeout:)`` when done: it waits for outstanding deliveries and frees the handle.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers), logger: logger)
/// let report = try await producer.send(KafkaProducerRecord(topic: "t", key: key, value: bytes))
/// await producer.shutdown()
/// ```
public final class KafkaProducer: @unchecked Sendable {
    // The handle and queue are only used from the poll thread or from thread-safe librdkafka calls.
    private let handle: OpaquePointer
    private let mainQueue: OpaquePointer
    /// Handles of ``KafkaProducerConfiguration/topics``, kept so librdkafka keeps them known.
    private let knownTopics: [OpaquePointer]
    private let logger: Logger
    private let state = Mutex(State())

    /// Each `send` is one batch: its messages carry `batch << indexBits | index` as their opaque,
    /// and the poll thread fills in their reports under one lock per delivery event, waking the
    /// sender once when the last report arrived (no per-message bookkeeping or suspension).
    private static let indexBits = 24
    private static let maximumBatch = 1 << indexBits

    private struct State {
        var nextBatch: UInt = 1
        var batches: [UInt: Batch] = [:]
        var closingDeadline: ContinuousClock.Instant?
        var closed = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct Batch {
        var partitions: [Int32]
        var offsets: [Int64]
        /// Messages handed to librdkafka whose report has not arrived yet (or all of them, until
        /// the sender says how many it handed over).
        var outstanding: Int
        /// What failed, by index in the batch (empty when everything was acknowledged).
        var failures: [Int: KafkaError] = [:]
        var waiter: Waiter?
        var sealed = false

        var isDone: Bool { sealed && outstanding == 0 }
        var outcome: Outcome { Outcome(partitions: partitions, offsets: offsets, failures: failures) }
    }

    /// What became of one batch's messages.
    private struct Outcome {
        var partitions: [Int32]
        var offsets: [Int64]
        var failures: [Int: KafkaError]
    }

    private typealias Waiter = CheckedContinuation<Outcome, any Error>

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.handle = try RDKafka.makeHandle(type: RD_KAFKA_PRODUCER, properties: configuration.properties)
        rd_kafka_set_log_queue(handle, nil)  // Logs join delivery reports on the main queue.
        self.mainQueue = rd_kafka_queue_get_main(handle)
        // Named before the first metadata request goes out, they are in its answer.
        let handle = self.handle
        self.knownTopics = configuration.topics.compactMap { rd_kafka_topic_new(handle, $0, nil) }
        self.logger = logger
        let thread = Thread { [self] in pollLoop() }
        thread.name = "layar.kafka.producer"
        thread.start()
    }

    /// Sends one message and returns when the broker acknowledged it (all in-sync replicas).
    /// Throws a ``KafkaError`` of kind `.delivery` when it could not be delivered in time: the
    /// message is then not published. Waits (without blocking a thread) while the local queue is full.
    public func send(_ record: KafkaProducerRecord) async throws -> KafkaDeliveryReport {
        try await send([record])[0]
    }

    /// Sends messages in the given order (so records with the same key keep it) and returns when
    /// the broker acknowledged every one. Throws the first failure, after every report arrived;
    /// a message librdkafka refuses at once stops the rest of the batch from being handed over.
    public func send(_ records: [KafkaProducerRecord]) async throws -> [KafkaDeliveryReport] {
        try await sendEach(records, stopAtFirstRefusal: true).map { try $0.get() }
    }

    /// Sends messages in the given order and answers, once every report arrived, what became of
    /// each: its delivery report or why it was not delivered. One message's failure (a topic that
    /// does not exist or may not be written) does not keep the others from being sent.
    public func sendEach(_ records: [KafkaProducerRecord]) async throws -> [Result<KafkaDeliveryReport, KafkaError>] {
        try await sendEach(records, stopAtFirstRefusal: false)
    }

    private func sendEach(
        _ records: [KafkaProducerRecord], stopAtFirstRefusal: Bool
    ) async throws -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !records.isEmpty else { return [] }
        var results: [Result<KafkaDeliveryReport, KafkaError>] = []
        results.reserveCapacity(records.count)
        for start in stride(from: 0, to: records.count, by: Self.maximumBatch) {
            let chunk = records[start..<min(start + Self.maximumBatch, records.count)]
            let outcome = try await sendBatch(chunk, stopAtFirstRefusal: stopAtFirstRefusal)
            for (index, record) in chunk.enumerated() {
                if let failure = outcome.failures[index] {
                    results.append(.failure(failure))
                } else {
                    results.append(.success(KafkaDeliveryReport(
                        topic: record.topic, partition: outcome.partitions[index], offset: outcome.offsets[index]
                    )))
                }
            }
            if stopAtFirstRefusal, let first = outcome.failures.min(by: { $0.key < $1.key }) { throw first.value }
        }
        return results
    }

    /// Stops accepting messages, waits up to `timeout` for outstanding deliveries, then frees the
    /// handle. Sends still waiting after the timeout fail with kind `.closed`.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        await withCheckedContinuation { continuation in
            let alreadyClosed = state.withLock { state in
                if state.closed { return true }
                state.closingDeadline = state.closingDeadline ?? .now + timeout
                state.shutdownWaiters.append(continuation)
                return false
            }
            if alreadyClosed { continuation.resume() }
        }
    }

    private func sendBatch(_ records: ArraySlice<KafkaProducerRecord>, stopAtFirstRefusal: Bool) async throws -> Outcome {
        let id: UInt? = state.withLock { state in
            guard state.closingDeadline == nil else { return nil }
            let id = state.nextBatch
            state.nextBatch += 1
            state.batches[id] = Batch(
                partitions: [Int32](repeating: -1, count: records.count), offsets: [Int64](repeating: -1, count: records.count),
                outstanding: records.count
            )
            return id
        }
        guard let id else { throw KafkaError(kind: .closed, message: "producer is shut down") }
        // Hand every record over in order, retrying one while librdkafka's local queue is full.
        // A record refused at once gets no report: it is counted out here.
        var refused: [Int: KafkaError] = [:]
        for (index, record) in records.enumerated() {
            while let error = produce(record, opaque: id << UInt(Self.indexBits) | UInt(index)) {
                guard error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue, state.withLock({ $0.closingDeadline == nil }) else {
                    refused[index] = error
                    break
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            if stopAtFirstRefusal, let failure = refused[index] {
                for later in (index + 1)..<records.count { refused[later] = failure }
                break
            }
        }
        return try await withCheckedThrowingContinuation { (continuation: Waiter) in
            let outcome: Result<Outcome, any Error>? = state.withLock { state in
                guard var batch = state.batches[id] else {
                    return .failure(KafkaError(kind: .closed, message: "producer shut down before acknowledgement"))
                }
                batch.outstanding -= refused.count
                batch.failures.merge(refused) { reported, _ in reported }
                batch.sealed = true
                if batch.isDone {
                    state.batches[id] = nil
                    return .success(batch.outcome)
                }
                batch.waiter = continuation
                state.batches[id] = batch
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Enqueues into librdkafka (non-blocking: no `RD_KAFKA_MSG_F_BLOCK`).
    private func produce(_ record: KafkaProducerRecord, opaque: UInt) -> KafkaError? {
        var headers: OpaquePointer?
        if !record.headers.isEmpty {
            headers = rd_kafka_headers_new(record.headers.count)
            for header in record.headers {
                header.value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(headers, header.key, -1, bytes.baseAddress, bytes.count)
                }
            }
        }
        let failure: OpaquePointer? = record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                (record.key ?? []).withUnsafeBytes { key in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 6) { fields in
                        var count = 0
                        func add(_ set: (inout rd_kafka_vu_t) -> Void) {
                            var field = rd_kafka_vu_t()
                            set(&field)
                            fields[count] = field
                            count += 1
                        }
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_TOPIC
                            $0.u.cstr = topic
                        }
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_VALUE
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                            $0.u.mem.size = value.count
                        }
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_OPAQUE
                            $0.u.ptr = UnsafeMutableRawPointer(bitPattern: opaque)
                        }
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                            $0.u.i = RD_KAFKA_MSG_F_COPY
                        }
                        if let headers {
                            add {
                                $0.vtype = RD_KAFKA_VTYPE_HEADERS
                                $0.u.headers = headers
                            }
                        }
                        if record.key != nil {
                            add {
                                $0.vtype = RD_KAFKA_VTYPE_KEY
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                                $0.u.mem.size = key.count
                            }
                        }
                        return rd_kafka_produceva(handle, fields.baseAddress, count)
                    }
                }
            }
        }
        guard let failure else { return nil }  // librdkafka now owns the headers.
        if let headers { rd_kafka_headers_destroy(headers) }
        return RDKafka.error(.produce, taking: failure)
    }

    private func pollLoop() {
        while true {
            let deadline = state.withLock { $0.closingDeadline }
            if let deadline, rd_kafka_outq_len(handle) == 0 || ContinuousClock.now >= deadline { break }
            guard let event = rd_kafka_queue_poll(mainQueue, 100) else { continue }
            if Int32(rd_kafka_event_type(event)) == Int32(RD_KAFKA_EVENT_DR) {
                deliver(reportsIn: event)
            } else {
                RDKafka.log(event: event, to: logger)
            }
            rd_kafka_event_destroy(event)
        }
        let (unfinished, waiters) = state.withLock { state in
            defer {
                state.batches = [:]
                state.shutdownWaiters = []
                state.closed = true
            }
            return (state.batches.values.compactMap(\.waiter), state.shutdownWaiters)
        }
        if !unfinished.isEmpty { logger.warning("producer shut down with \(unfinished.count) unacknowledged batches") }
        for waiter in unfinished {
            waiter.resume(throwing: KafkaError(kind: .closed, message: "producer shut down before acknowledgement"))
        }
        knownTopics.forEach { rd_kafka_topic_destroy($0) }
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(handle)
        for waiter in waiters { waiter.resume() }
    }

    /// Applies the reports of one delivery event under one lock and wakes the senders whose
    /// batch is complete.
    private func deliver(reportsIn event: OpaquePointer) {
        var reports: [(opaque: UInt, partition: Int32, offset: Int64, error: rd_kafka_resp_err_t)] = []
        reports.reserveCapacity(rd_kafka_event_message_count(event))
        while let message = rd_kafka_event_message_next(event) {
            let raw = message.pointee
            reports.append((UInt(bitPattern: raw._private), raw.partition, raw.offset, raw.err))
        }
        let mask = UInt(Self.maximumBatch - 1)
        let finished: [(Waiter, Outcome)] = state.withLock { state in
            var finished: [(Waiter, Outcome)] = []
            // Reports of one batch come in runs: take each batch out once per run.
            var current: (id: UInt, batch: Batch)?
            func putBack() {
                guard let (id, batch) = current else { return }
                current = nil
                if batch.isDone, let waiter = batch.waiter {
                    finished.append((waiter, batch.outcome))
                } else {
                    state.batches[id] = batch
                }
            }
            for report in reports {
                let id = report.opaque >> UInt(Self.indexBits)
                if current?.id != id {
                    putBack()
                    guard let batch = state.batches.removeValue(forKey: id) else { continue }
                    current = (id, batch)
                }
                let index = Int(report.opaque & mask)
                if report.error == RD_KAFKA_RESP_ERR_NO_ERROR {
                    current!.batch.partitions[index] = report.partition
                    current!.batch.offsets[index] = report.offset
                } else {
                    current!.batch.failures[index] = RDKafka.error(
                        .delivery, report.error, isFatal: report.error == RD_KAFKA_RESP_ERR__FATAL
                    )
                }
                current!.batch.outstanding -= 1
            }
            putBack()
            return finished
        }
        for (waiter, outcome) in finished { waiter.resume(returning: outcome) }
    }
}
