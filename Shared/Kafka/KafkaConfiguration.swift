/// Settings of a ``KafkaProducer``. Defaults are the safe ones: idempotence on (which implies
/// `acks=all` and ordered retries), and a bounded time for a message to be acknowledged.
public struct KafkaProducerConfiguration: Sendable {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs.
    public var clientID: String = "layar"
    /// `enable.idempotence`; keep it on.
    public var idempotence: Bool = true
    /// `message.timeout.ms`: after this the delivery fails and ``KafkaProducer/send(_:)`` throws.
    public var messageTimeoutMilliseconds: Int = 30_000
    /// `linger.ms`: how long to wait to batch messages.
    public var lingerMilliseconds: Int = 5
    /// Topics the producer looks up as it connects. A topic first named by a message is looked up
    /// only on librdkafka's next refresh of unknown topics, up to a second later (measured here:
    /// the first send of a run took 1.0 s instead of 10 ms in one run out of two).
    public var topics: [String] = []
    /// TLS and SASL: plaintext only for the dev broker.
    public var security: KafkaSecurity = .plaintext
    /// Any other librdkafka property, applied last.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    public init(endpoint: KafkaEndpoint) {
        self.bootstrapServers = endpoint.bootstrapServers
        self.security = endpoint.security
    }

    var properties: [String: String] {
        var properties = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "enable.idempotence": String(idempotence),
            "message.timeout.ms": String(messageTimeoutMilliseconds),
            "linger.ms": String(lingerMilliseconds),
            "log.queue": "true",
        ]
        properties.merge(security.properties) { _, new in new }
        properties.merge(extra) { _, new in new }
        return properties
    }
}

/// Settings of a ``KafkaConsumer`` in a consumer group. Offsets are stored only when the
/// application says a message was processed (`enable.auto.offset.store=false`) and committed
/// in the background from what was stored, so a crash re-reads unprocessed messages.
public struct KafkaConsumerConfiguration: Sendable {
    public var bootstrapServers: String
    /// `group.id`: consumers sharing it split the partitions between them.
    public var groupID: String
    public var topics: [String]
    public var clientID: String = "layar"
    /// `auto.offset.reset` for a group with no committed offset: `earliest` reads everything.
    public var autoOffsetReset: String = "earliest"
    /// `auto.commit.interval.ms`: how often stored offsets are committed.
    public var commitIntervalMilliseconds: Int = 1_000
    /// `session.timeout.ms`.
    public var sessionTimeoutMilliseconds: Int = 10_000
    /// `max.poll.interval.ms`: a member that does not poll for this long leaves the group and its
    /// partitions go to the others. ``KafkaConsumer/keepingMembership(every:_:)`` polls (with the
    /// partitions paused) while the application is busy, so slow work does not cost membership.
    public var maxPollIntervalMilliseconds: Int = 300_000
    /// `queued.max.messages.kbytes`: how far librdkafka fetches ahead of the application, in KiB
    /// over all assigned partitions. The prefetch is bounded by bytes alone (`queued.min.messages`
    /// is set to its maximum): librdkafka 2.0 (Debian 12's) stops fetching for up to a second
    /// whenever either bound is reached (librdkafka #2879; 2.2 added `fetch.queue.backoff.ms`),
    /// and the default count bound, 100,000 messages, was reached by small messages long before
    /// the bytes: measured here, a reader of 200,000 × 500 B stalled 0.8 s in two runs of three.
    public var prefetchKilobytes: Int = 65_536
    /// TLS and SASL: plaintext only for the dev broker.
    public var security: KafkaSecurity = .plaintext
    /// Any other librdkafka property, applied last.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: String, groupID: String, topics: [String]) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.topics = topics
    }

    public init(endpoint: KafkaEndpoint, groupID: String, topics: [String]) {
        self.init(bootstrapServers: endpoint.bootstrapServers, groupID: groupID, topics: topics)
        self.security = endpoint.security
    }

    /// How long the broker may hold a fetch while there is nothing to read. A real broker answers
    /// as soon as data arrives, so this is only the pace of idle fetches: librdkafka's default,
    /// 500 ms. The dev broker (librdkafka's mock cluster, the only plaintext one) answers only when
    /// the wait is over, which makes the wait the latency of every hop there: 100 ms (measured:
    /// submitted -> assigned p50 152 ms at 100, 620 ms at 500; idle, the stack's CPU 0.092 cores at
    /// 100 against 0.056 at 500).
    var fetchWaitMilliseconds: Int { security.securityProtocol == .plaintext ? 100 : 500 }

    var properties: [String: String] {
        var properties = [
            "bootstrap.servers": bootstrapServers,
            "group.id": groupID,
            "client.id": clientID,
            "auto.offset.reset": autoOffsetReset,
            "enable.auto.commit": "true",
            "enable.auto.offset.store": "false",
            "auto.commit.interval.ms": String(commitIntervalMilliseconds),
            "session.timeout.ms": String(sessionTimeoutMilliseconds),
            "max.poll.interval.ms": String(maxPollIntervalMilliseconds),
            "enable.partition.eof": "false",
            "fetch.wait.max.ms": String(fetchWaitMilliseconds),
            "queued.max.messages.kbytes": String(prefetchKilobytes),
            "queued.min.messages": "10000000",
            "log.queue": "true",
        ]
        properties.merge(security.properties) { _, new in new }
        properties.merge(extra) { _, new in new }
        return properties
    }
}
