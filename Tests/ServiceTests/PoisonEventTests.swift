import Foundation
import LayarAssignment
import LayarIntake
import LayarKafka
import LayarNotification
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarSurvey
import LayarTestSupport
import LayarVerification
import Testing

/// Every consumer of every service, fed poison for each event type it reads: garbage bytes, and a
/// well-formed message whose referral id is not a UUID. Each must be refused as an
/// `EventRejection` (the inbox then dead-letters it at once instead of retrying) and write
/// nothing, against the service's real schema.
@Suite("Poison events")
struct PoisonEventTests {
    static func definitions() throws -> [ServiceDefinition] {
        [
            try IntakeService.definition(environment: [:]), VerificationService.definition,
            try AssignmentService.definition(environment: [:]), try NotificationService.definition(environment: [:]),
            try SurveyService.definition(environment: [:]),
        ]
    }

    static func poison(_ type: any LayarEvent.Type, garbage: Bool, at time: Date) throws -> KafkaConsumerMessage {
        let value: [UInt8] = garbage ? [0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x13] : try type.init().serializedBytes()
        return KafkaConsumerMessage(
            topic: type.topic.rawValue, partition: 0, offset: 0, key: Array("x".utf8), value: value,
            headers: CloudEventHeaders.make(
                id: UUID().uuidString, type: type.eventType, source: type.topic.writers[0].eventSource, subject: "x", time: time
            )
        )
    }

    @Test("garbage and invalid payloads of every consumed event type are rejected, and nothing is written")
    func poisonRejected() async throws {
        var checked = 0
        for definition in try Self.definitions() {
            let database = try await TestEnvironment.scratchDatabase()
            try await PostgresMigrator(migrations: definition.migrations, logger: TestEnvironment.logger).migrate(database.pool)
            let clock = TestClock().clock
            let context = ServiceResources(
                pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock), clock: clock,
                logger: TestEnvironment.logger
            )
            for consumer in definition.consumers {
                let handler = consumer.handler(context)
                for eventType in handler.eventTypes.sorted() {
                    let type = try #require(LayarEvents.type(named: eventType), "\(eventType) is in the event table")
                    for garbage in [true, false] {
                        let event = try InboundEvent(try Self.poison(type, garbage: garbage, at: clock.now))
                        do {
                            try await database.pool.withTransaction { try await handler.handle(event, on: $0) }
                            Issue.record("\(definition.name).\(consumer.name) applied a poisoned \(eventType) (garbage: \(garbage))")
                        } catch is EventRejection {
                            checked += 1
                        } catch {
                            Issue.record("\(definition.name).\(consumer.name): \(eventType) failed with \(error), not a rejection")
                        }
                    }
                }
            }
            let outbox = try await database.pool.query("SELECT count(*) AS n FROM outbox").first!.decode(Int.self, "n")
            #expect(outbox == 0, "\(definition.name) announced nothing")
            try await database.drop()
        }
        #expect(checked >= 40, "every consumer of every service was fed poison (\(checked) checks)")
    }

    @Test("an event is obeyed only from a service that writes its topic: a forged erasure request is refused")
    func forgedSourceRefused() throws {
        let time = Date(timeIntervalSince1970: 1_796_000_000)
        var checked = 0
        for type in LayarEvents.all {
            let payload: [UInt8] = try type.init().serializedBytes()
            for service in LayarServiceName.allCases {
                let message = KafkaConsumerMessage(
                    topic: type.topic.rawValue, partition: 0, offset: 0, key: nil, value: payload,
                    headers: CloudEventHeaders.make(id: UUID().uuidString, type: type.eventType, source: service.eventSource, subject: "x", time: time)
                )
                if type.topic.writers.contains(service) {
                    #expect(throws: Never.self) { try InboundEvent(message) }
                } else {
                    #expect(throws: EventRejection.self, "\(type.eventType) from \(service)") { try InboundEvent(message) }
                    checked += 1
                }
            }
        }
        #expect(checked >= 60)
        // The privacy topic obeys intake alone: not another service, not an outsider's made-up source.
        for source in ["/layar/assignment", "/layar/intake-admin", "/layar/test", "layar/intake"] {
            let forged = KafkaConsumerMessage(
                topic: LayarTopic.intakePrivacy.rawValue, partition: 0, offset: 0, key: nil,
                value: try Layar_V1_DataSubjectRequested().serializedBytes(),
                headers: CloudEventHeaders.make(
                    id: UUID().uuidString, type: Layar_V1_DataSubjectRequested.eventType, source: source, subject: "x", time: time
                )
            )
            let rejection = #expect(throws: EventRejection.self) { try InboundEvent(forged) }
            #expect(rejection?.reason.contains("takes events from /layar/intake only") == true)
        }
    }
}
