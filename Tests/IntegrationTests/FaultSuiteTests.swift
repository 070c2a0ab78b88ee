import Foundation
import GRPCCore
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Logging
import Synchronization
import Testing

/// The fault suite (run by `deploy/local/fault-test.sh`, which gives it a database and a dev
/// broker of its own): referrals through the five real services while, at random moments, a
/// service is killed with SIGKILL and restarted, a broker goes down and up, requests fail or slow
/// down, PostgreSQL is stopped and started, and every service is restarted gracefully. Then the
/// auditor checks every referral and every service's books, prints the counts, and fails on any
/// loss or duplicate.
@Suite("Fault suite", .serialized)
struct FaultSuiteTests {
    final class Counters: Sendable {
        let values = Mutex([String: Int]())
        func add(_ key: String, _ count: Int = 1) { values.withLock { $0[key, default: 0] += count } }
        var snapshot: [String: Int] { values.withLock { $0 } }
    }

    /// A shared flag or count between the tasks of the run.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    static let enabled = ProcessInfo.processInfo.environment["LAYAR_FAULT_SUITE"] == "1"

    @Test(
        "nothing lost, nothing applied twice, under crashes, broker faults and a database restart",
        .enabled(if: FaultSuiteTests.enabled, "run by deploy/local/fault-test.sh")
    )
    func faults() async throws {
        try await StackLock.exclusively { try await run() }
    }

    private func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let total = Int(environment["LAYAR_FAULT_REFERRALS"] ?? "") ?? 300
        let seconds = Double(environment["LAYAR_FAULT_SECONDS"] ?? "") ?? 40
        let controlPort = Int(environment["LAYAR_FAULT_BROKER_CONTROL"] ?? "")
        let postgresRestarts = environment["LAYAR_FAULT_POSTGRES_RESTARTS_FILE"]
        let counters = Counters()
        // The load comes from one client at a rate no citizen reaches: intake's public-call limit
        // (which the abuse suite tries) is lifted so that it measures faults, not throttling.
        let services = try ServiceProcesses(environment: ["LAYAR_PUBLIC_CALL_LIMIT": "100000", "LAYAR_PUBLIC_CALL_CEILING": "10000000"])
        do {
            try await services.waitUntilServing()
            let submitted = try await withThrowingTaskGroup(of: [Submitted].self) { group in
                let loadDone = Shared(false)
                group.addTask {
                    defer { loadDone.value.withLock { $0 = true } }
                    return try await Self.load(total: total, over: .seconds(seconds), services: services, counters: counters)
                }
                group.addTask {
                    try await Self.injectFaults(
                        until: { loadDone.value.withLock { $0 } }, services: services, controlPort: controlPort, counters: counters
                    )
                    return []
                }
                var all: [Submitted] = []
                for try await part in group { all += part }
                return all
            }
            try await Self.heal(controlPort: controlPort)
            // PostgreSQL is stopped and started from outside (fault-test.sh): a test process
            // cannot reliably reap a child that daemonises a server.
            if let postgresRestarts, let text = try? String(contentsOfFile: postgresRestarts, encoding: .utf8) {
                counters.add("postgres restarts", text.split(separator: "\n").count)
            }
            try await services.waitUntilServing(timeout: .seconds(120))
            try await Self.audit(submitted, services: services, counters: counters)
        } catch {
            _ = await services.stop()
            throw error
        }
        _ = await services.stop()
    }

    struct Submitted: Sendable {
        var referralID: String
        var trackingCode: String
    }

    // MARK: Load

    /// Submits `total` referrals spread over `duration`, 8 at a time; a submission that meets a
    /// fault is retried with the same request id (intake answers a retry with the same referral).
    static func load(total: Int, over duration: Duration, services: ServiceProcesses, counters: Counters) async throws -> [Submitted] {
        let start = ContinuousClock.now
        let birthDate = Layar_V1_Date.with {
            $0.year = Int32.random(in: 1940...1990)
            $0.month = Int32.random(in: 1...12)
            $0.day = Int32.random(in: 1...28)
        }
        let next = Shared(0)
        return try await withThrowingTaskGroup(of: [Submitted].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [Submitted] = []
                    while true {
                        let index = next.value.withLock { value -> Int in defer { value += 1 }; return value }
                        guard index < total else { return mine }
                        try await Task.sleep(until: start + duration * (Double(index) / Double(total)))
                        let nik = SampleReferral.nik(birthDate: birthDate, serial: index + 1)
                        let request = Layar_V1_SubmitReferralRequest.with {
                            $0.form = SampleReferral.form(nik: nik, birthDate: birthDate)
                            $0.requestID = UUID().uuidString.lowercased()
                        }
                        mine.append(try await submit(request, services: services, counters: counters))
                    }
                }
            }
            var all: [Submitted] = []
            for try await part in group { all += part }
            return all
        }
    }

    static func submit(_ request: Layar_V1_SubmitReferralRequest, services: ServiceProcesses, counters: Counters) async throws -> Submitted {
        let deadline = ContinuousClock.now + .seconds(180)
        var options = CallOptions.defaults
        options.timeout = .seconds(10)
        options.waitForReady = false
        while true {
            do {
                let response = try await #require(services.addresses["intake"]).withClient { client in  // public: a citizen's submission
                    try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(request, options: options)
                }
                #expect(response.status == .submitted && response.trackingPin.count == 6)
                return Submitted(referralID: response.referralID, trackingCode: response.trackingCode)
            } catch {
                counters.add("submission retries")
                guard ContinuousClock.now < deadline else { throw Failure("submission never accepted: \(error)") }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
    }

    // MARK: Faults

    /// Until the load is done, every 0.7 to 2 seconds: a SIGKILL and restart of a random service,
    /// a broker down for a while, failed produce/fetch/commit requests, or broker latency; at the
    /// end a rolling graceful restart of every service.
    static func injectFaults(
        until done: @Sendable () -> Bool, services: ServiceProcesses, controlPort: Int?, counters: Counters
    ) async throws {
        var round = 0
        while !done() {
            try await Task.sleep(for: .milliseconds(Int.random(in: 700...2000)))
            round += 1
            switch (round % 5, controlPort) {
            case (1, let port?), (4, let port?):
                let id = Int.random(in: 1...3)
                try control(port, "broker \(id) down")
                try await Task.sleep(for: .milliseconds(Int.random(in: 500...2500)))
                try control(port, "broker \(id) up")
                counters.add("brokers down")
            case (2, let port?):
                let api = ["produce", "fetch", "commit"].randomElement()!
                try control(port, "errors \(api) \([6, 7, 14, 15].randomElement()!) \(Int.random(in: 1...5))")
                counters.add("request errors")
            case (3, let port?):
                let id = Int.random(in: 1...3)
                try control(port, "latency \(id) \(Int.random(in: 50...400))")
                try await Task.sleep(for: .seconds(1))
                try control(port, "latency \(id) 0")
                counters.add("latency spikes")
            default:
                let name = ServiceProcesses.names.randomElement()!
                try await services.killAndRestart(name, downFor: .milliseconds(Int.random(in: 0...1500)))
                counters.add("SIGKILL restarts")
            }
        }
        // A rolling restart under the tail of the load: SIGTERM drains and commits, nothing lost.
        for name in ServiceProcesses.names {
            let status = try await services.gracefulRestart(name)
            #expect(status == 0, "\(name) did not stop cleanly on SIGTERM")
            counters.add("graceful restarts")
        }
    }

    /// Everything back to normal before the audit.
    static func heal(controlPort: Int?) async throws {
        if let controlPort {
            for broker in 1...3 {
                try control(controlPort, "broker \(broker) up")
                try control(controlPort, "latency \(broker) 0")
            }
        }
    }

    static func control(_ port: Int, _ command: String) throws {
        let reply = try BrokerControlClient.send(command, port: port)
        guard reply == "ok" else { throw Failure("dev broker control: \(command): \(reply)") }
    }
}
