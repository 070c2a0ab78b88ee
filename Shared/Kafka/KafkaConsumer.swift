import CRDKafka
import Dispatch
import Logging
import Synchronization

/// Messages a consumer has yet to read in one partition.
public struct KafkaPartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var lag: Int64
}

/// A consumer-group member that reads messages as an `AsyncSequence` (``messages``).
///
/// At-least-once by design: an offset is stored only when the application calls
/// ``storeOffset(of:)`` after it processed the message (for LAYAR: after the database commit),
/// and stored offsets are committed in the background and on ``close()``. A crash therefore
/// re-reads what was not processed; consumers make that harmless with an inbox.
///
/// librdkafka's blocking calls (poll, close, commit) run on the consumer's own serial dispatch
/// queue, never on the cooperative thread pool, and take up to 500 already-fetched messages per
/// trip to that queue. Memory is bounded by librdkafka's fetch queue and that batch. Slow work keeps
/// its group membership with ``keepingMembership(every:_:)``.
public final class KafkaConsumer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let logQueue: OpaquePointer
    /// The group's message queue, read in batches (`rd_kafka_poll_set_consumer` forwards the main
    /// queue to it, so rebalances are served by the same calls).
    private let consumerQueue: OpaquePointer
    private let worker = DispatchQueue(label: "layar.kafka.consumer")
    private let logger: Logger
    private let state = Mutex(Phase.open)
    private let lagByPartition = Mutex([KafkaPartitionLag]())
    /// Messages polled while keeping membership (from partitions assigned meanwhile), handed out
    /// by the next poll.
    private let held = Mutex([KafkaConsumerMessage]())
    /// Partitions paused while keeping membership, resumed when the work is done.
    private let paused = Mutex([(topic: String, partition: Int32)]())
    private let evictionCount = Mutex(0)
    /// How often ``keepingMembership(every:_:)`` should poll: a third of `max.poll.interval.ms`.
    public let keepAliveInterval: Duration

    private enum Phase { case open, closing, closed }

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        let handle = try RDKafka.makeHandle(type: RD_KAFKA_CONSUMER, properties: configuration.properties)
        // Logs go to a queue of their own, drained after each poll; messages and rebalances to the
        // consumer queue.
        self.logQueue = rd_kafka_queue_new(handle)
        rd_kafka_set_log_queue(handle, logQueue)
        rd_kafka_poll_set_consumer(handle)
        guard let consumerQueue = rd_kafka_queue_get_consumer(handle) else {
            rd_kafka_queue_destroy(logQueue)
            rd_kafka_destroy(handle)
            throw KafkaError(kind: .configuration, message: "a consumer needs a group.id")
        }
        self.consumerQueue = consumerQueue
        self.handle = handle
        self.logger = logger
        self.keepAliveInterval = .milliseconds(configuration.maxPollIntervalMilliseconds / 3)

        let topics = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))
        defer { rd_kafka_topic_partition_list_destroy(topics) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
        }
        let result = rd_kafka_subscribe(handle, topics)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_queue_destroy(consumerQueue)
            rd_kafka_queue_destroy(logQueue)
            rd_kafka_destroy(handle)
            throw RDKafka.error(.consume, result)
        }
    }

    /// The messages of the subscribed topics, in partition order. Ends when the consumer is
    /// closed or the iterating task is cancelled.
    public var messages: Messages { Messages(consumer: self) }

    var isClosed: Bool { state.withLock { $0 != .open } }

    /// Ends a poll that is waiting for messages (`rd_kafka_queue_yield`), from any thread: a
    /// cancelled iteration stops at once instead of when its long poll would have timed out.
    public func wake() {
        state.withLock { phase in
            if phase == .open { rd_kafka_queue_yield(consumerQueue) }
        }
    }

    /// Marks `message` processed: its offset + 1 is committed with the next background commit.
    public func storeOffset(of message: KafkaConsumerMessage) throws {
        guard state.withLock({ $0 == .open }) else { throw KafkaError(kind: .closed, message: "consumer is closed") }
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let entry = rd_kafka_topic_partition_list_add(list, message.topic, message.partition)
        entry?.pointee.offset = message.offset + 1
        let result = rd_kafka_offsets_store(handle, list)
        // _STATE: the partition was revoked in a rebalance; its next owner re-reads the message.
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__STATE else {
            throw RDKafka.error(.consume, result)
        }
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws {
        let result: rd_kafka_resp_err_t = try await onWorker { handle in rd_kafka_commit(handle, nil, 0) }
        // _NO_OFFSET: nothing new was stored since the last commit.
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR || result == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw RDKafka.error(.consume, result)
        }
    }

    /// Leaves the group cleanly: commits stored offsets, lets the group rebalance at once, and
    /// frees the handle. Safe to call more than once.
    public func close() async {
        let first = state.withLock { phase in
            defer { if phase == .open { phase = .closing } }
            // A poll waiting on the worker would hold the close back until its timeout.
            if phase == .open { rd_kafka_queue_yield(consumerQueue) }
            return phase == .open
        }
        guard first else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            worker.async { [self] in
                let result = rd_kafka_consumer_close(handle)
                drainLogs()
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    logger.warning("consumer close: \(String(cString: rd_kafka_err2str(result)))")
                }
                rd_kafka_queue_destroy(consumerQueue)
                rd_kafka_queue_destroy(logQueue)
                rd_kafka_destroy(handle)
                state.withLock { $0 = .closed }
                continuation.resume()
            }
        }
    }

    /// Polls up to `limit` messages in one trip to the worker queue: waits up to
    /// `timeoutMilliseconds` for the first, then takes only what librdkafka already fetched.
    fileprivate func poll(timeoutMilliseconds: Int32, upTo limit: Int) async throws -> [KafkaConsumerMessage] {
        try await onWorker { handle -> [KafkaConsumerMessage] in
            defer { self.drainLogs() }
            let kept = self.held.withLock { held in
                defer { held = [] }
                return held
            }
            // What a keep-alive poll already took comes first, without waiting for more.
            let fresh = try self.take(upTo: limit - kept.count, waitingUpTo: kept.isEmpty ? timeoutMilliseconds : 0, from: handle)
            let messages = kept.isEmpty ? fresh : kept + fresh
            self.recordLag(after: messages, handle: handle)
            return messages
        }
    }

    /// The librdkafka side of a poll (on the worker queue): one `rd_kafka_consume_batch_queue`
    /// call waits for the first message, a second takes what is already fetched, up to `limit`.
    /// Consumer errors are informational (a topic not yet created, a broker down: the client
    /// recovers by itself) except a fatal one, and "left the group" after `max.poll.interval.ms`,
    /// which is counted and logged loudly.
    private func take(upTo limit: Int, waitingUpTo timeoutMilliseconds: Int32, from handle: OpaquePointer) throws -> [KafkaConsumerMessage] {
        guard limit > 0 else { return [] }
        var messages: [KafkaConsumerMessage] = []
        var topics = RDKafka.TopicNames()
        var errors: [rd_kafka_resp_err_t] = []
        withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<rd_kafka_message_t>?.self, capacity: limit) { batch in
            guard let base = batch.baseAddress else { return }
            // The batch call waits until the whole batch is there or the timeout passes: only the
            // first message is waited for, the rest is what librdkafka already holds.
            var count = Int(rd_kafka_consume_batch_queue(consumerQueue, timeoutMilliseconds, base, 1))
            if count == 1, limit > 1 {
                count += max(0, Int(rd_kafka_consume_batch_queue(consumerQueue, 0, base + 1, limit - 1)))
            }
            guard count > 0 else { return }
            messages.reserveCapacity(count)
            for raw in UnsafeBufferPointer(start: base, count: count) {
                guard let raw else { continue }
                defer { rd_kafka_message_destroy(raw) }
                // Every message is handed out, also those after an error: librdkafka has moved
                // its position past them already.
                if raw.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    messages.append(RDKafka.message(raw, topics: &topics))
                } else {
                    errors.append(raw.pointee.err)
                }
            }
        }
        for error in errors { try report(consumerError: error, from: handle) }
        return messages
    }

    private func report(consumerError error: rd_kafka_resp_err_t, from handle: OpaquePointer) throws {
        if rd_kafka_fatal_error(handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw RDKafka.error(.consume, error, isFatal: true)
        }
        if error == RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED {
            evictionCount.withLock { $0 += 1 }
            logger.error(
                "consumer left its group: no poll within max.poll.interval.ms; its partitions went to other members, which re-read them from the committed offsets; it rejoins now"
            )
        } else {
            logger.debug("consumer: \(String(cString: rd_kafka_err2str(error)))")
        }
    }

    /// How many times the consumer was put out of its group for not polling in time.
    public var evictions: Int { evictionCount.withLock { $0 } }

    /// Runs `body`, the processing of messages already polled, and keeps the consumer in its group
    /// while it runs: every `interval` the assigned partitions are paused (nothing more is fetched
    /// for them, and the position stays after the last message handed out) and the group protocol
    /// is served by a poll; when `body` ends they are resumed. A rebalance during `body` still
    /// happens (its partitions may go to another member, which re-reads what was not stored; the
    /// inbox absorbs that); what keeps it from happening silently for slowness alone is this.
    public func keepingMembership<T: Sendable>(every interval: Duration, _ body: () async throws -> T) async throws -> T {
        let result = try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { [self] in
                while true {
                    try await Task.sleep(for: interval)
                    do {
                        try await keepAlive()
                    } catch let error as KafkaError where error.kind == .closed {
                        return
                    }
                }
            }
            let result = try await body()
            group.cancelAll()
            return result
        }
        try await resumePaused()
        return result
    }

    /// Pauses the assignment and polls once (without waiting), keeping what arrives for later.
    private func keepAlive() async throws {
        try await onWorker { handle in
            defer { self.drainLogs() }
            var assignment: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            if rd_kafka_assignment(handle, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR, let assignment {
                defer { rd_kafka_topic_partition_list_destroy(assignment) }
                rd_kafka_pause_partitions(handle, assignment)
                let list = (0..<Int(assignment.pointee.cnt)).map { index in
                    let entry = assignment.pointee.elems[index]
                    return (topic: String(cString: entry.topic), partition: entry.partition)
                }
                self.paused.withLock { paused in
                    for entry in list where !paused.contains(where: { $0 == entry }) { paused.append(entry) }
                }
            }
            // Only partitions assigned since the pause can deliver anything.
            let arrived = try self.take(upTo: Messages.BufferedPolls.pollBatch, waitingUpTo: 0, from: handle)
            self.held.withLock { $0 += arrived }
        }
    }

    private func resumePaused() async throws {
        let partitions = paused.withLock { paused in
            defer { paused = [] }
            return paused
        }
        guard !partitions.isEmpty else { return }
        try await onWorker { handle in
            let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for entry in partitions { rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition) }
            // Per-partition errors (a partition revoked meanwhile) leave nothing to resume.
            rd_kafka_resume_partitions(handle, list)
        }
    }

    /// How far behind the partition ends the messages polled last were, per partition.
    public var lag: [KafkaPartitionLag] { lagByPartition.withLock { $0 } }

    /// The high watermark librdkafka learnt with the last fetch (a local, non-blocking read)
    /// minus the position after the last message polled of each partition.
    private func recordLag(after messages: [KafkaConsumerMessage], handle: OpaquePointer) {
        guard !messages.isEmpty else { return }
        // The last message of each partition: a batch holds a few partitions, so a short list
        // searched from the end beats hashing a key per message.
        var last: [KafkaConsumerMessage] = []
        for message in messages.reversed()
        where !last.contains(where: { $0.partition == message.partition && $0.topic == message.topic }) {
            last.append(message)
        }
        let measured = last.compactMap { message -> KafkaPartitionLag? in
            var low: Int64 = 0
            var high: Int64 = 0
            guard rd_kafka_get_watermark_offsets(handle, message.topic, message.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR
            else { return nil }
            return KafkaPartitionLag(topic: message.topic, partition: message.partition, lag: max(0, high - message.offset - 1))
        }
        lagByPartition.withLock { known in
            for entry in measured {
                known.removeAll { $0.topic == entry.topic && $0.partition == entry.partition }
                known.append(entry)
            }
        }
    }

    private func drainLogs() {
        while let event = rd_kafka_queue_poll(logQueue, 0) {
            RDKafka.log(event: event, to: logger)
            rd_kafka_event_destroy(event)
        }
    }

    /// Runs `body` on the worker queue while the handle is open.
    private func onWorker<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            worker.async { [self] in
                guard state.withLock({ $0 == .open }) else {
                    continuation.resume(throwing: KafkaError(kind: .closed, message: "consumer is closed"))
                    return
                }
                continuation.resume(with: Result { try body(handle) })
            }
        }
    }

    /// The consumer's messages as an `AsyncSequence`.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = KafkaConsumerMessage
        let consumer: KafkaConsumer

        public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

        public struct Iterator: AsyncIteratorProtocol {
            // One reference and nothing else: with more stored properties, iterating through
            // `for try await` (the standard library's `next(isolation:)`) crashed here with a bad
            // pointer while resuming; a one-word iterator, as before batching, does not.
            private let buffered: BufferedPolls

            init(consumer: KafkaConsumer) {
                self.buffered = BufferedPolls(consumer: consumer)
            }

            /// One poll of at most `timeoutMilliseconds`: nil when nothing arrived (the consumer
            /// stays usable), for callers that stop after a quiet period.
            public mutating func nextMessage(timeoutMilliseconds: Int32) async throws -> KafkaConsumerMessage? {
                try await buffered.next(timeoutMilliseconds: timeoutMilliseconds)
            }

            /// Waits for the next message in long polls (librdkafka blocks on its queue; nothing
            /// here wakes while the topics are quiet); cancelling the task ends the wait at once.
            public mutating func next() async throws -> KafkaConsumerMessage? {
                let buffered = buffered
                while !Task.isCancelled {
                    let message = try await withTaskCancellationHandler {
                        try await buffered.next(timeoutMilliseconds: Self.idlePollMilliseconds)
                    } onCancel: {
                        buffered.consumer.wake()
                    }
                    if let message { return message }
                    if buffered.consumer.isClosed { return nil }
                }
                return nil
            }

            /// The longest single wait for a message while the topics are quiet.
            static let idlePollMilliseconds: Int32 = 5_000
        }

        /// Messages taken from librdkafka by one poll (up to ``pollBatch``) and handed out one by one.
        final class BufferedPolls: Sendable {
            let consumer: KafkaConsumer
            /// The last poll's messages in reverse order, so handing one out moves it off the end
            /// instead of copying it (and retaining its buffers) out of the middle.
            private let pending = Mutex<[KafkaConsumerMessage]>([])

            /// At most this many messages are taken out of librdkafka per poll.
            static let pollBatch = 500

            init(consumer: KafkaConsumer) {
                self.consumer = consumer
            }

            func next(timeoutMilliseconds: Int32) async throws -> KafkaConsumerMessage? {
                if let message = take() { return message }
                do {
                    let polled = try await consumer.poll(timeoutMilliseconds: timeoutMilliseconds, upTo: Self.pollBatch)
                    pending.withLock { $0 = polled.reversed() }
                } catch let error as KafkaError where error.kind == .closed {
                    return nil
                }
                return take()
            }

            private func take() -> KafkaConsumerMessage? {
                pending.withLock { $0.popLast() }
            }
        }
    }
}
