import Foundation
import LayarJobs
import LayarKafka
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// Loops that wait for their tables instead of polling: the ``Wakeup`` primitive, PostgreSQL's
/// notifications through ``TableWakeups`` (a committed change wakes, a rolled-back one does not),
/// and the outbox relay publishing on its notification alone.
@Suite("Table wake-ups")
struct TableWakeupTests {
    @Test("a signal before the wait is kept, a wait ends at its time, a cancelled wait ends at once")
    func wakeup() async throws {
        let wakeup = Wakeup()
        wakeup.signal()
        wakeup.signal()  // kept as one
        var started = ContinuousClock.now
        await wakeup.wait(upTo: .seconds(30))
        #expect(ContinuousClock.now - started < Self.early)
        started = .now
        await wakeup.wait(upTo: .milliseconds(200))
        let timedOut = ContinuousClock.now - started
        #expect(timedOut >= .milliseconds(190) && timedOut < Self.early)

        let waiting = Task { await wakeup.wait(upTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        started = .now
        waiting.cancel()
        await waiting.value
        #expect(ContinuousClock.now - started < Self.early)

        let signalled = Task { await wakeup.wait(upTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        started = .now
        wakeup.signal()
        await signalled.value
        #expect(ContinuousClock.now - started < Self.early)
    }

    static func prepare(_ extra: [PostgresMigration] = []) async throws -> ScratchDatabase {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: [
            RuntimeMigrations.changeNotifier, RuntimeMigrations.outboxAndInbox, RuntimeMigrations.outboxTraceContext,
            RuntimeMigrations.outboxParkedTopics, RuntimeMigrations.outboxChangeNotifications, RuntimeMigrations.dataKeys,
        ] + extra, logger: TestEnvironment.logger).migrate(database.pool)
        return database
    }

    /// Far below the 30 s waits: a wait that ended early ends well inside it, even on a busy machine.
    static let early = Duration.seconds(10)

    /// Runs `wakeups` while `body` runs, after its first connection's catch-up signal.
    static func listening<T: Sendable>(
        _ wakeups: TableWakeups, table: String, _ body: () async throws -> T
    ) async throws -> T {
        let running = Task { try await wakeups.run() }
        defer { running.cancel() }
        let wakeup = try #require(wakeups.wakeup(for: table))
        await wakeup.wait(upTo: .seconds(10))  // the catch-up signal once it listens
        return try await body()
    }

    @Test("a committed change wakes the table's loop; a rolled-back one, another table's or another schema's does not")
    func committedChangesWake() async throws {
        let database = try await Self.prepare([PostgresMigration(version: 2, name: "a queue", sql: """
            CREATE TABLE queue (id serial PRIMARY KEY);
            CREATE TABLE other (id serial PRIMARY KEY);
            CREATE TRIGGER queue_notify AFTER INSERT ON queue FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
            CREATE TRIGGER other_notify AFTER INSERT ON other FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
            """)])
        let elsewhere = try await Self.prepare()
        let wakeups = TableWakeups(tables: ["queue"], configuration: database.configuration, logger: TestEnvironment.logger)
        let wakeup = try #require(wakeups.wakeup(for: "queue"))
        try await Self.listening(wakeups, table: "queue") {
            // Nothing committed: the waits run to their end.
            struct Rollback: Error {}
            _ = try? await database.pool.withTransaction { connection in
                try await connection.query("INSERT INTO queue DEFAULT VALUES")
                throw Rollback()
            }
            try await database.pool.query("INSERT INTO other DEFAULT VALUES")
            try await elsewhere.pool.query("INSERT INTO outbox (event_id, topic, record_key, event_type, payload, occurred_at) VALUES (gen_random_uuid(), 't', 'k', 'e', '\\x00', now())")
            var started = ContinuousClock.now
            await wakeup.wait(upTo: .milliseconds(500))
            #expect(ContinuousClock.now - started >= .milliseconds(450), "woken by a change that is not the queue's")
            // A commit wakes it at once.
            try await database.pool.withTransaction { connection in
                try await connection.query("INSERT INTO queue DEFAULT VALUES")
                try await connection.query("INSERT INTO queue DEFAULT VALUES")
            }
            started = .now
            await wakeup.wait(upTo: .seconds(30))
            #expect(ContinuousClock.now - started < Self.early)
        }
        try await elsewhere.drop()
        try await database.drop()
    }

    @Test("the outbox relay publishes a committed event on its notification, without polling")
    func relayWakesOnCommit() async throws {
        let database = try await Self.prepare()
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: try TestEnvironment.kafkaBrokers()), logger: TestEnvironment.logger)
        let cipher = try await TestDataKeys.cipher(on: database.pool, clock: .system)
        let wakeups = TableWakeups(tables: [TableWakeups.outbox], configuration: database.configuration, logger: TestEnvironment.logger)
        var relay = OutboxRelay(pool: database.pool, producer: producer, cipher: cipher, source: "/layar/test", clock: .system, logger: TestEnvironment.logger)
        relay.wakeup = wakeups.wakeup(for: TableWakeups.outbox)
        relay.idleInterval = .seconds(600)  // were it polling, nothing would go out in this test
        relay.idleLimit = .seconds(600)
        let running = Task { try await wakeups.run() }
        let relaying = Task { [relay] in try await relay.run() }
        try await Task.sleep(for: .seconds(1))  // both idle now
        let event = Layar_V1_ReferralWithdrawn.with { $0.referralID = UUID().uuidString.lowercased() }
        try await database.pool.withTransaction { connection in
            try await Outbox(cipher: cipher, clock: .system).append(event, on: connection)
        }
        let started = ContinuousClock.now
        var published = false
        while !published, ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
            published = try await database.pool.query("SELECT 1 FROM outbox WHERE published_at IS NOT NULL").isEmpty == false
        }
        #expect(published, "the event was not published on its notification")
        #expect(ContinuousClock.now - started < .seconds(5))
        relaying.cancel()
        running.cancel()
        _ = try? await relaying.value
        await producer.shutdown()
        try await database.drop()
    }
}
