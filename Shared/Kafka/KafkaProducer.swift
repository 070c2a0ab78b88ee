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
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var nextID: UInt = 1
        var pending: [UInt: Pending] = [:]
        var closingDeadline: ContinuousClock.Instant?
        var closed = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// A message handed to librdkafka: its report has arrived, or somebody may be waiting for it.
    private enum Pending {
        case awaiting(CheckedContinuation<KafkaDeliveryReport, any Error>?)
        case reported(Result<KafkaDeliveryReport, KafkaError>)
    }

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        self.handle = try RDKafka.makeHandle(type: RD_KAFKA_PRODUCER, properties: configuration.properties)
        rd_kafka_set_log_queue(handle, nil)  // Logs join delivery reports on the main queue.
        self.mainQueue = rd_kafka_queue_get_main(handle)
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
    /// the broker acknowledged every one. Throws the first failure, after every report arrived.
    public func send(_ records: [KafkaProducerRecord]) async throws -> [KafkaDeliveryReport] {
        var ids: [UInt] = []
        var failure: (any Error)?
        for record in records {
            do {
                ids.append(try await enqueue(record))
            } catch {
                failure = error
                break
            }
        }
        var reports: [KafkaDeliveryReport] = []
        for id in ids {
            do {
                reports.append(try await report(for: id))
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return reports
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

    /// Hands one record to librdkafka, retrying while its local queue is full.
    private func enqueue(_ record: KafkaProducerRecord) async throws -> UInt {
        while true {
            // Register before producing: the report may arrive before produce returns.
            let id: UInt? = state.withLock { state in
                guard state.closingDeadline == nil else { return nil }
                let id = state.nextID
                state.nextID += 1
                state.pending[id] = .awaiting(nil)
                return id
            }
            guard let id else { throw KafkaError(kind: .closed, message: "producer is shut down") }
            guard let error = produce(record, opaque: id) else { return id }
            _ = state.withLock { $0.pending.removeValue(forKey: id) }
            guard error.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { throw error }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private func report(for id: UInt) async throws -> KafkaDeliveryReport {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<KafkaDeliveryReport, KafkaError>? = state.withLock { state in
                switch state.pending[id] {
                case .reported(let result):
                    state.pending[id] = nil
                    return result
                case .awaiting:
                    state.pending[id] = .awaiting(continuation)
                    return nil
                case nil:
                    return .failure(KafkaError(kind: .closed, message: "producer shut down before acknowledgement"))
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Records a delivery report and wakes whoever waits for it.
    private func complete(_ id: UInt, with result: Result<KafkaDeliveryReport, KafkaError>) {
        let waiter: CheckedContinuation<KafkaDeliveryReport, any Error>? = state.withLock { state in
            guard case .awaiting(let waiter) = state.pending[id] else { return nil }
            if let waiter {
                state.pending[id] = nil
                return waiter
            }
            state.pending[id] = .reported(result)
            return nil
        }
        waiter?.resume(with: result)
    }

    /// Enqueues into librdkafka (non-blocking: no `RD_KAFKA_MSG_F_BLOCK`).
    private func produce(_ record: KafkaProducerRecord, opaque id: UInt) -> KafkaError? {
        let headers = rd_kafka_headers_new(record.headers.count)
        for header in record.headers {
            header.value.withUnsafeBytes { bytes in
                _ = rd_kafka_header_add(headers, header.key, -1, bytes.baseAddress, bytes.count)
            }
        }
        let failure: OpaquePointer? = record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                (record.key ?? []).withUnsafeBytes { key in
                    var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 5)
                    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC
                    fields[0].u.cstr = topic
                    fields[1].vtype = RD_KAFKA_VTYPE_VALUE
                    fields[1].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    fields[1].u.mem.size = value.count
                    fields[2].vtype = RD_KAFKA_VTYPE_OPAQUE
                    fields[2].u.ptr = UnsafeMutableRawPointer(bitPattern: id)
                    fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    fields[3].u.i = RD_KAFKA_MSG_F_COPY
                    fields[4].vtype = RD_KAFKA_VTYPE_HEADERS
                    fields[4].u.headers = headers
                    if record.key != nil {
                        var keyField = rd_kafka_vu_t()
                        keyField.vtype = RD_KAFKA_VTYPE_KEY
                        keyField.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                        keyField.u.mem.size = key.count
                        fields.append(keyField)
                    }
                    return rd_kafka_produceva(handle, fields, fields.count)
                }
            }
        }
        guard let failure else { return nil }  // librdkafka now owns the headers.
        rd_kafka_headers_destroy(headers)
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
                state.pending = [:]
                state.shutdownWaiters = []
                state.closed = true
            }
            let unfinished = state.pending.values.compactMap { pending in
                if case .awaiting(let waiter?) = pending { waiter } else { nil }
            }
            return (unfinished, state.shutdownWaiters)
        }
        if !unfinished.isEmpty { logger.warning("producer shut down with \(unfinished.count) unacknowledged messages") }
        for waiter in unfinished {
            waiter.resume(throwing: KafkaError(kind: .closed, message: "producer shut down before acknowledgement"))
        }
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(handle)
        for waiter in waiters { waiter.resume() }
    }

    private func deliver(reportsIn event: OpaquePointer) {
        while let message = rd_kafka_event_message_next(event) {
            let raw = message.pointee
            let id = UInt(bitPattern: raw._private)
            if raw.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                let topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
                complete(id, with: .success(KafkaDeliveryReport(topic: topic, partition: raw.partition, offset: raw.offset)))
            } else {
                complete(id, with: .failure(RDKafka.error(.delivery, raw.err, isFatal: raw.err == RD_KAFKA_RESP_ERR__FATAL)))
            }
        }
    }
}
