import LayarJobs
import LayarRuntime
import LayarTestSupport
import Synchronization
import Testing

/// The one loop of the services' background work: rounds back to back while there is work, the
/// schedule's wait when there is none, a failed round retried after its own wait, and an end
/// when the task is cancelled (as graceful shutdown does).
@Suite("Recurring jobs")
struct RecurringJobTests {
    struct Failure: Error {}

    final class Rounds: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("a draining job goes again at once while it finds work, retries a failed round, and waits when idle")
    func draining() async throws {
        let rounds = Rounds()
        let job = RecurringJob("test drain", .draining(idle: .seconds(60), afterFailure: .milliseconds(10)), logger: TestEnvironment.logger) {
            let round = rounds.next()
            if round == 2 { throw Failure() }
            return round < 5
        }
        let running = Task { try await job.run() }
        for _ in 0..<200 where rounds.value < 5 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(rounds.value == 5, "rounds 1, 3, 4 found work, 2 failed and was retried, 5 found none and waits")
        running.cancel()
        try await running.value
        #expect(rounds.value == 5, "cancelled while waiting: no further round")
    }

    @Test("a periodic job that waits first runs no round before its interval")
    func waitFirst() async throws {
        let rounds = Rounds()
        let job = RecurringJob("test periodic", .every(.seconds(60), waitFirst: true), logger: TestEnvironment.logger) {
            _ = rounds.next()
            return false
        }
        let running = Task { try await job.run() }
        try await Task.sleep(for: .milliseconds(100))
        running.cancel()
        try await running.value
        #expect(rounds.value == 0)
    }
}
