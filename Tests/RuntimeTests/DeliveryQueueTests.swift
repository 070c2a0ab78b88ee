import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

/// The one outbound delivery queue against PostgreSQL: leases, priorities, batches, retries and
/// the end of a delivery; a new row wakes its loop.
@Suite("Delivery queue")
struct DeliveryQueueTests {
    typealias Queue = DeliveryQueue<Entities.Message>

    static func prepare() async throws -> ScratchDatabase {
        try await TableWakeupTests.prepare([
            PostgresMigration(version: 2, name: "delivery queue", sql: DeliveryQueueTable.tableSQL)
        ])
    }

    static let start = TestClock(CivilDate(year: 2026, month: 12, day: 4), hour: 10).now

    @Test("due rows are claimed once per lease, urgent first; a lapsed lease is claimed again with one more attempt")
    func leases() async throws {
        let database = try await Self.prepare()
        let queue = Queue()
        let (normal, urgent, later) = (MessageID(), MessageID(), MessageID())
        try await database.pool.withTransaction { connection in
            try await queue.enqueue(normal, at: Self.start, on: connection)
            try await queue.enqueue(urgent, at: Self.start.addingTimeInterval(1), priority: 1, on: connection)
            try await queue.enqueue(later, at: Self.start.addingTimeInterval(3600), on: connection)
        }
        let now = Self.start.addingTimeInterval(2)
        #expect(try await queue.nextDue(after: now, on: database.pool) == .zero)
        let first = try await database.pool.withTransaction { try await queue.claim(limit: 1, now: now, lease: .seconds(60), on: $0) }
        #expect(first.map(\.id) == [urgent] && first.first?.attempts == 1)
        let rest = try await database.pool.withTransaction { try await queue.claim(limit: 10, now: now, lease: .seconds(60), on: $0) }
        #expect(rest.map(\.id) == [normal], "a claimed row and a later one are not claimed")
        // The next due is the end of the leases.
        #expect(try await queue.nextDue(after: now, on: database.pool) == .seconds(60))

        // A retry releases the lease; a crashed sender's claim lapses.
        try await database.pool.withConnection { try await queue.retry(normal, error: "HTTP 502", at: now.addingTimeInterval(30), on: $0) }
        let afterLease = now.addingTimeInterval(61)
        let again = try await database.pool.withTransaction { try await queue.claim(limit: 10, now: afterLease, lease: .seconds(60), on: $0) }
        #expect(Set(again.map(\.id)) == [urgent, normal])
        #expect(again.first { $0.id == normal }?.attempts == 2 && again.first { $0.id == normal }?.lastError == "HTTP 502")

        // Queued again, a delivery starts afresh.
        try await database.pool.withConnection { try await queue.enqueue(urgent, at: afterLease, priority: 1, on: $0) }
        let fresh = try await database.pool.withTransaction { try await queue.claim(limit: 10, now: afterLease, lease: .seconds(60), on: $0) }
        #expect(fresh.map(\.id) == [urgent] && fresh.first?.attempts == 1 && fresh.first?.lastError == "")

        try await database.pool.withConnection { try await queue.finish([urgent, normal], on: $0) }
        #expect(try await queue.nextDue(after: afterLease, on: database.pool) == .until(Self.start.addingTimeInterval(3600), from: afterLease))
        try await database.drop()
    }

    @Test("a batch brings along its other rows due within the window, never another batch's or a claimed one")
    func batches() async throws {
        let database = try await Self.prepare()
        let queue = Queue()
        let (a1, a2, a3, b1) = (MessageID(), MessageID(), MessageID(), MessageID())
        try await database.pool.withTransaction { connection in
            try await queue.enqueue(a1, at: Self.start, batchKey: "a", on: connection)
            try await queue.enqueue(a2, at: Self.start.addingTimeInterval(60), batchKey: "a", on: connection)
            try await queue.enqueue(a3, at: Self.start.addingTimeInterval(900), batchKey: "a", on: connection)
            try await queue.enqueue(b1, at: Self.start.addingTimeInterval(60), batchKey: "b", on: connection)
        }
        let claimed = try await database.pool.withTransaction { connection in
            let first = try await queue.claim(limit: 10, now: Self.start, lease: .seconds(60), on: connection)
            return first + (try await queue.claimBatch(
                "a", dueBy: Self.start.addingTimeInterval(120), besides: first.map(\.id), now: Self.start, lease: .seconds(60), on: connection
            ))
        }
        #expect(claimed.map(\.id) == [a1, a2])
        try await database.drop()
    }

    @Test("a queued delivery wakes the queue's loop")
    func wakes() async throws {
        let database = try await Self.prepare()
        let wakeups = TableWakeups(tables: [DeliveryQueueTable.name], configuration: database.configuration, logger: TestEnvironment.logger)
        let wakeup = try #require(wakeups.wakeup(for: DeliveryQueueTable.name))
        try await TableWakeupTests.listening(wakeups, table: DeliveryQueueTable.name) {
            try await database.pool.withConnection { try await Queue().enqueue(MessageID(), at: Self.start, on: $0) }
            let started = ContinuousClock.now
            await wakeup.wait(upTo: .seconds(30))
            #expect(ContinuousClock.now - started < TableWakeupTests.early)
        }
        try await database.drop()
    }
}
