import Foundation
import GRPCCore
import LayarKafka
import LayarPostgres
import LayarSchema
import LayarTestSupport
import Synchronization
import Testing
import W3CTraceContext

@testable import LayarRuntime

/// One trace id follows a referral: from a caller's `traceparent`, into the outbox row, onto the
/// Kafka record, through the consumer's work and into the events that work writes.
@Suite("Trace propagation")
struct TracePropagationTests {
    static let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("traceparent in and out of gRPC metadata and Kafka headers; continuing keeps the trace, not the span")
    func carriers() throws {
        var metadata: Metadata = ["traceparent": .string(Self.parent)]
        var extracted = TracingContext.topLevel
        W3CTraceContextPropagator().extract(metadata, into: &extracted, using: MetadataExtractor())
        #expect(extracted.traceContext?.traceParentHeaderValue == Self.parent)
        let child = TracingContext.continuing(extracted.traceContext)
        #expect(child.traceContext?.traceID == extracted.traceContext?.traceID)
        #expect(child.traceContext?.spanID != extracted.traceContext?.spanID)
        metadata = [:]
        W3CTraceContextPropagator().inject(child, into: &metadata, using: MetadataInjector())
        #expect(metadata[stringValues: "traceparent"].first { _ in true }?.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") == true)
        var fromKafka = TracingContext.topLevel
        W3CTraceContextPropagator().extract([KafkaHeader(key: "traceparent", text: Self.parent)], into: &fromKafka, using: KafkaHeadersExtractor())
        #expect(fromKafka.traceContext?.traceParentHeaderValue == Self.parent)
        // A request from outside starts a new trace; a malformed header is ignored.
        var garbage = TracingContext.topLevel
        W3CTraceContextPropagator().extract(["traceparent": .string("00-zz")] as Metadata, into: &garbage, using: MetadataExtractor())
        #expect(garbage.traceContext == nil)
        #expect(TracingContext.continuing(nil).traceContext != nil)
    }

    /// Records the trace and referral the consumer's work ran under, and writes an event of its own.
    final class Seen: Sendable {
        let entries = Mutex<[(trace: String, referral: String)]>([])
    }

    struct TraceRecordingHandler: EventHandler {
        let seen = Seen()
        let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType]

        func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
            let context = TracingContext.current
            seen.entries.withLock { $0.append(("\(context?.traceContext?.traceID.description ?? "")", context?.referralID ?? "")) }
            try await Outbox(cipher: OutboxInboxTests.cipher, clock: OutboxInboxTests.clock.clock).append(Layar_V1_ReferralVerified.with { $0.referralID = event.subject }, on: connection)
        }
    }

    @Test("outbox row, Kafka record and the consumer's own events carry the caller's trace")
    func throughOutboxAndInbox() async throws {
        let (database, producer) = try await OutboxInboxTests.prepare()
        let referralID = UUID().uuidString.lowercased()
        var caller = TracingContext.topLevel
        caller.traceContext = try TraceContext(traceParentHeaderValue: Self.parent)
        try await TracingContext.withValue(.continuing(caller.traceContext)) {
            try await database.pool.withTransaction { connection in
                try await Outbox(cipher: OutboxInboxTests.cipher, clock: OutboxInboxTests.clock.clock).append(Layar_V1_ReferralSubmitted.with { $0.referralID = referralID }, on: connection)
            }
        }
        let stored = try #require(try await database.pool.query("SELECT traceparent FROM outbox").first).decode(String.self, "traceparent")
        #expect(stored.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") && stored != Self.parent)

        let relay = OutboxRelay(pool: database.pool, producer: producer, cipher: OutboxInboxTests.cipher, source: LayarServiceName.intake.eventSource,
            clock: OutboxInboxTests.clock.clock, logger: TestEnvironment.logger
        )
        #expect(try await relay.publishBatch() == 1)
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: try TestEnvironment.kafkaBrokers(), groupID: "trace-reader-\(database.schema)",
            topics: [LayarTopic.intakeReferrals.rawValue]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        let reader = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
        var record: KafkaConsumerMessage?
        let deadline = ContinuousClock.now + .seconds(30)
        for try await message in reader.messages where ContinuousClock.now < deadline {
            if message.key == Array(referralID.utf8) { record = message; break }
        }
        await reader.close()
        let published = try #require(record)
        #expect(published.headers.text("traceparent") == stored)

        // The consumer's work continues that trace and names the referral.
        let handler = TraceRecordingHandler()
        let inbox = InboxConsumer(
            name: "test.trace.\(database.schema)", topics: [LayarTopic.intakeReferrals.rawValue], handler: handler,
            pool: database.pool, producer: producer, kafka: try TestEnvironment.kafkaEndpoint(), logger: TestEnvironment.logger
        )
        try await inbox.process(published)
        let seen = handler.seen.entries.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.trace == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(seen.first?.referral == referralID)
        let written = try #require(try await database.pool.query(
            "SELECT traceparent FROM outbox WHERE event_type = $1", [Layar_V1_ReferralVerified.eventType]
        ).first).decode(String.self, "traceparent")
        #expect(written.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") && written != stored)
        await producer.shutdown()
        try await database.drop()
    }
}
