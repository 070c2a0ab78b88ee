import Dispatch
import Foundation
import LayarRuntime
import LayarTestSupport
import Synchronization
import Testing
@testable import LayarPortal

/// Password hashing under a burst: bounded in how many hashes (and so how much memory) run at
/// once, off the cooperative pool, refusing at once beyond its queue, and fitting the portal's
/// memory limit.
@Suite("Portal password hashing")
struct PasswordHashingTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test("at most `concurrency` hashes run, `queueLimit` wait, and the next is refused at once")
    func bounded() async throws {
        let hashing = PasswordHashingPool(concurrency: 2, queueLimit: 3)
        let gate = DispatchSemaphore(value: 0)
        let started = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    _ = try await hashing.run {
                        started.value.add(1, ordering: .relaxed)
                        gate.wait()  // a hash in progress, held until the test lets it go
                    }
                }
            }
            // Two running, three waiting: the sixth is refused without running anything.
            let deadline = ContinuousClock.now + .seconds(10)
            while (started.value.load(ordering: .relaxed) < 2 || hashing.waitingCount < 3) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(started.value.load(ordering: .relaxed) == 2)
            #expect(hashing.waitingCount == 3)
            await #expect(throws: PasswordHashingPool.Busy.self) { try await hashing.run { 1 } }
            for _ in 0..<5 { gate.signal() }
            try await group.waitForAll()
        }
        #expect(started.value.load(ordering: .relaxed) == 5, "every admitted hash ran")
        #expect(hashing.highWater == 2)
        #expect(try await hashing.run { 42 } == 42, "slots are free again")
    }

    @Test("a burst of 24 sign-ins: two hashes at a time, the rest answered or told busy")
    func burstOfSignIns() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        let hashing = PasswordHashingPool(concurrency: 2, queueLimit: 4)
        let accounts = StaffAccounts(pool: database.pool, clock: TestClock().clock, passwordCost: PasswordHasher.Cost(logN: 14, p: 1), hashing: hashing)
        let results = try await withThrowingTaskGroup(of: StaffAccounts.LoginResult.self) { group in
            for attempt in 0..<24 {
                group.addTask { try await accounts.logIn(username: "nobody-\(attempt)", password: "guess-\(attempt)") }
            }
            return try await group.reduce(into: [StaffAccounts.LoginResult]()) { $0.append($1) }
        }
        try await database.drop()
        let refused = results.filter { if case .refused = $0 { true } else { false } }.count
        let busy = results.filter { if case .busy = $0 { true } else { false } }.count
        #expect(refused + busy == 24)
        #expect(refused >= 6, "the two running and four queued are answered")
        #expect(busy >= 1, "the burst overflows the queue (a 16 MiB hash takes longer than 24 arrivals)")
        #expect(hashing.highWater <= 2)
    }

    @Test("the portal refuses a hashing concurrency its memory limit cannot hold")
    func memoryFit() throws {
        var configuration = PortalConfiguration(databaseURL: "postgresql://portal@127.0.0.1/layar")
        // Kubernetes' limit for the portal (deploy/k8s/base/portal.yaml): 256 MiB.
        try configuration.checkHashingFitsMemory(limitBytes: 256 << 20)
        configuration.hashingConcurrency = 4
        let error = #expect(throws: ConfigurationError.self) { try configuration.checkHashingFitsMemory(limitBytes: 256 << 20) }
        #expect(error?.description.contains("LAYAR_PORTAL_HASHING_CONCURRENCY=4 needs 356 MiB") == true)
    }

    @Test("the container's memory limit is read from its cgroup")
    func cgroupLimit() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(ContainerMemoryLimit.current(cgroupRoot: root.path) == nil)
        try "268435456\n".write(to: root.appendingPathComponent("memory.max"), atomically: true, encoding: .utf8)
        #expect(ContainerMemoryLimit.current(cgroupRoot: root.path) == 256 << 20)
        try "max\n".write(to: root.appendingPathComponent("memory.max"), atomically: true, encoding: .utf8)
        #expect(ContainerMemoryLimit.current(cgroupRoot: root.path) == nil)
    }
}
