import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// The five real service executables, started as processes on free loopback ports against the
/// test database and the dev broker.
final class ServiceProcesses: @unchecked Sendable {
    static let names = ["intake", "verification", "assignment", "notification", "survey"]

    let addresses: [String: ServiceAddress]
    let logDirectory: URL
    private let executables: URL
    private let environments: [String: [String: String]]
    private let lock = NSLock()
    private var running: [String: Process] = [:]
    private var processes: [String: Process] { lock.withLock { running } }

    /// What the notification service "sent" through its development channel, one JSON line each.
    var sentNotifications: String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("notifications.jsonl"), encoding: .utf8)) ?? ""
    }

    /// `overrides` are set in every service's environment last.
    init(environment overrides: [String: String] = [:]) throws {
        executables = URL(fileURLWithPath: try TestEnvironment.binDirectory())
        let brokers = try TestEnvironment.kafkaBrokers()
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("layar-it-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let notificationLog = logDirectory.appendingPathComponent("notifications.jsonl")
        var addresses: [String: ServiceAddress] = [:]
        var environments: [String: [String: String]] = [:]
        for name in Self.names {
            let port = try Self.freePort()
            var environment = ProcessInfo.processInfo.environment
            environment["LAYAR_DATABASE_URL"] = try TestEnvironment.serviceDatabaseURL(name)
            environment["KAFKA_BROKERS"] = brokers
            environment["LAYAR_GRPC_PORT"] = String(port)
            environment["LAYAR_LOG_LEVEL"] = "info"
            // Notifications go through the development log channel into a file the test reads.
            environment["LAYAR_NOTIFY_LOG_FILE"] = notificationLog.path
            environment["LAYAR_QUIET_HOURS"] = "off"
            environment["LAYAR_METRICS_PORT"] = "0"  // any free port: a developer's stack may hold 9101-9105
            environment["LAYAR_TOKEN_KEYS_DIR"] = TestStaffTokens.keysDirectory  // tests sign staff tokens with its pair
            environment["LAYAR_DATA_KEYS_DIR"] = TestDataKeys.directory
            environment.merge(overrides) { _, override in override }
            environments[name] = environment
            addresses[name] = ServiceAddress(host: "127.0.0.1", port: port)
            FileManager.default.createFile(atPath: logDirectory.appendingPathComponent("\(name).log").path, contents: nil)
        }
        // Notification asks intake for the status an applicant's CEK text asks for.
        environments["notification"]?[LayarServiceName.intake.addressVariable] = addresses["intake"]?.description
        self.addresses = addresses
        self.environments = environments
        for name in Self.names { try launch(name) }
    }

    /// Starts (or starts again) one service; its log continues in the same file.
    private func launch(_ name: String) throws {
        let process = Process()
        process.executableURL = executables.appendingPathComponent("layar-\(name)")
        process.environment = environments[name]
        let handle = try FileHandle(forWritingTo: logDirectory.appendingPathComponent("\(name).log"))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        lock.withLock { running[name] = process }
    }

    /// Kills a service with SIGKILL (no shutdown of any kind), waits for it to die, and starts it again.
    func killAndRestart(_ name: String, downFor pause: Duration = .zero) async throws {
        guard let process = processes[name] else { return }
        kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: pause)
        try launch(name)
    }

    /// Stops a service with SIGTERM (a graceful stop: drains, stores offsets, flushes) and starts
    /// it again: one step of a rolling restart. Returns the exit status of the stopped process.
    func gracefulRestart(_ name: String) async throws -> Int32 {
        guard let process = processes[name] else { return -1 }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let status = process.terminationStatus
        try launch(name)
        return status
    }

    /// Waits until every service answers SERVING on grpc.health.v1; fails naming the laggards.
    func waitUntilServing(timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        var waiting = Set(Self.names)
        while !waiting.isEmpty {
            try checkRunning()
            for name in waiting {
                let address = try #require(addresses[name])
                let status = try? await address.withClient { client in
                    try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init()).status
                }
                if status == .serving { waiting.remove(name) }
            }
            if ContinuousClock.now > deadline { throw Failure("not serving after \(timeout): \(waiting.sorted())\n\(logs())") }
            if !waiting.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
    }

    /// Throws when a service process has exited.
    func checkRunning() throws {
        let exited = processes.filter { !$0.value.isRunning }.map(\.key)
        if !exited.isEmpty { throw Failure("service(s) exited: \(exited.sorted())\n\(logs())") }
    }

    /// Sends SIGTERM to every service and returns their exit statuses (nil: had to be killed).
    func stop() async -> [String: Int32?] {
        processes.values.forEach { $0.terminate() }
        var statuses: [String: Int32?] = [:]
        for (name, process) in processes {
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                statuses[name] = .some(nil)
            } else {
                statuses[name] = process.terminationStatus
            }
        }
        return statuses
    }

    func logs() -> String {
        Self.names.map { name in
            let text = (try? String(contentsOf: logDirectory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
            return "--- \(name) ---\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Personal data of the sample persons found in the services' logs (UU 27/2022: logs get
    /// none): see ``SamplePersonalData``.
    func personalDataInLogs() -> [String] {
        let text = Self.names.map { name in
            (try? String(contentsOf: logDirectory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
        }.joined(separator: "\n")
        return SamplePersonalData.found(in: text)
    }

    /// A port that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The status code `call` fails with (nil when it succeeds): what a caller outside learns.
func rpcErrorCode(_ call: () async throws -> Void) async -> RPCError.Code? {
    do {
        try await call()
        return nil
    } catch let error as RPCError {
        return error.code
    } catch {
        return .unknown
    }
}
