import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Synchronization
import Testing

/// Every event type on a topic a service reads is applied or ignored on purpose: a new event type
/// that nobody handles fails here instead of being skipped silently, and a route for a type that
/// never comes on the consumer's topics is dead code.
@Suite("Event routing")
struct EventRoutingTests {
    @Test("each consumer applies or explicitly ignores every event type on its topics, and routes nothing else")
    func everyTypeDecided() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: [RuntimeMigrations.dataKeys], logger: TestEnvironment.logger).migrate(database.pool)
        let clock = TestClock().clock
        let context = ServiceResources(
            pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock), clock: clock,
            logger: TestEnvironment.logger
        )
        var consumers = 0
        for definition in try PoisonEventTests.definitions() {
            for consumer in definition.consumers {
                let handler = consumer.handler(context)
                var carried: Set<String> = []
                for type in LayarEvents.all where consumer.topics.contains(type.topic.rawValue) { carried.insert(type.eventType) }
                let name = "\(definition.name).\(consumer.name)"
                #expect(carried.subtracting(handler.eventTypes).subtracting(handler.ignoredEventTypes).isEmpty,
                        "\(name) neither applies nor ignores \(carried.subtracting(handler.eventTypes).subtracting(handler.ignoredEventTypes).sorted())")
                #expect(handler.eventTypes.subtracting(carried).isEmpty, "\(name) routes types its topics never carry: \(handler.eventTypes.subtracting(carried).sorted())")
                #expect(handler.eventTypes.isDisjoint(with: handler.ignoredEventTypes), "\(name) both applies and ignores a type")
                consumers += 1
            }
        }
        #expect(consumers == LayarConsumerGroup.all.count, "every consumer group of the table was checked")
        try await database.drop()
    }

    @Test("a router decodes each type for its route, rejects a payload of another type, and skips what it ignores")
    func routerDispatch() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        let seen = Seen()
        let router = EventRouter()
            .on(Layar_V1_CaseCompleted.self) { completed, event, _ in seen.add("\(event.type) \(completed.referralID)") }
            .ignoring(Layar_V1_CaseAssigned.self)
        #expect(router.eventTypes == [Layar_V1_CaseCompleted.eventType])
        #expect(router.ignoredEventTypes == [Layar_V1_CaseAssigned.eventType])
        let referralID = UUID().uuidString.lowercased()
        let completed = try InboundEvent(try KafkaConsumerMessageFactory.message(Layar_V1_CaseCompleted.with { $0.referralID = referralID }, time: TestClock().now))
        try await database.pool.withTransaction { try await router.handle(completed, on: $0) }
        #expect(seen.all == ["\(Layar_V1_CaseCompleted.eventType) \(referralID)"])
        // A payload that is no valid CaseCompleted (its referral id is not a UUID): rejected, not applied.
        let forged = try InboundEvent(try KafkaConsumerMessageFactory.message(Layar_V1_CaseCompleted.with { $0.referralID = "kasus-7" }, time: TestClock().now))
        await #expect(throws: EventRejection.self) {
            try await database.pool.withTransaction { try await router.handle(forged, on: $0) }
        }
        #expect(seen.all.count == 1)
        try await database.drop()
    }

    final class Seen: Sendable {
        private let items = Mutex<[String]>([])
        func add(_ item: String) { items.withLock { $0.append(item) } }
        var all: [String] { items.withLock { $0 } }
    }
}
