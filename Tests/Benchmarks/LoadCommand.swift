import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Logging
import Synchronization

/// The load generator: synthetic referrals (valid NIKs, real Balangan codes, a document of
/// realistic size) submitted to intake at a fixed rate or by N concurrent clients in a closed
/// loop; latency per stage from the events' timestamps, in HdrHistograms.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Submit referrals and measure each pipeline stage.")

    @Option(help: "Intake address.") var intake = LayarServiceName.intake.localAddress
    @Option(help: "Kafka bootstrap servers (env KAFKA_BROKERS).")
    var brokers = ProcessInfo.processInfo.environment["KAFKA_BROKERS"] ?? "127.0.0.1:9092"
    @Option(help: "Referrals per second; 0 runs a closed loop with --clients.") var rate = 0.0
    @Option(help: "Concurrent clients in a closed loop.") var clients = 16
    @Option(help: "Seconds of measured load.") var duration = 60.0
    @Option(help: "Seconds of load before measuring.") var warmup = 5.0
    @Option(help: "Seconds to wait for the pipeline to finish after the load.") var drain = 30.0
    @Option(help: "Size of the document photo attached to each referral, in KiB.") var documentKib = 40
    @Option(help: "At most this many submissions in flight at a fixed rate (beyond: counted as overload).")
    var maximumInFlight = 2000
    @Flag(help: "Print one JSON line with the figures at the end.") var json = false

    func run() async throws {
        guard let address = ServiceAddress(intake) else { throw ValidationError("--intake must be host:port") }
        var logger = Logger(label: "layar-bench")
        logger.logLevel = .warning
        let tracker = try PipelineTracker(brokers: brokers, logger: logger)
        let tracking = Task { try await tracker.run() }
        let document = SampleReferral.document(.ktp, SampleReferral.jpeg + [UInt8](repeating: 0x5A, count: documentKib * 1024))
        let results = LoadResults()

        let started = Date()
        let measureFrom = started.addingTimeInterval(warmup)
        let end = measureFrom.addingTimeInterval(duration)
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .ipv4(address: address.host, port: address.port), transportSecurity: .plaintext)
        ) { client in
            let intake = Layar_V1_IntakeService.Client(wrapping: client)
            @Sendable func submitOne(intendedAt: Date) async {
                let request = Layar_V1_SubmitReferralRequest.with { $0.form = SampleReferral.uniqueForm(documents: [document]) }
                do {
                    let response = try await intake.submitReferral(request)
                    results.succeeded(response.referralID, intendedAt: intendedAt, measured: intendedAt >= measureFrom && intendedAt < end)
                } catch {
                    results.failed(error, measured: intendedAt >= measureFrom)
                }
            }
            if rate > 0 {
                try await fixedRate(end: end, submit: submitOne, results: results)
            } else {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<clients {
                        group.addTask {
                            while Date() < end { await submitOne(intendedAt: Date()) }
                        }
                    }
                }
            }
        }

        // Let the pipeline finish what was submitted.
        let measured = results.measuredIDs
        let drainUntil = Date().addingTimeInterval(drain)
        while Date() < drainUntil, await tracker.notifiedCount(of: measured.keys) < measured.count {
            try await Task.sleep(for: .milliseconds(250))
        }
        tracking.cancel()
        await tracker.close()
        let report = LoadReport(results: results, stamps: await tracker.stamps, duration: duration)
        print(report.text)
        if json { print("JSON " + report.json) }
    }

    /// Starts one submission every 1/rate seconds, each timed from when it should have started
    /// (no coordinated omission: a stalled service shows in the latencies).
    private func fixedRate(end: Date, submit: @escaping @Sendable (Date) async -> Void, results: LoadResults) async throws {
        let interval = 1 / rate
        let start = Date()
        await withTaskGroup(of: Void.self) { group in
            var index = 0.0
            while true {
                let intended = start.addingTimeInterval(index * interval)
                guard intended < end else { break }
                let wait = intended.timeIntervalSinceNow
                if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
                index += 1
                guard results.begin(maximumInFlight: maximumInFlight) else { continue }
                group.addTask {
                    await submit(intended)
                    results.end()
                }
            }
        }
    }
}

/// What the submitting side saw, shared by the client tasks.
final class LoadResults: Sendable {
    private struct State {
        var measured: [String: Date] = [:]
        var rpc = LatencyHistogram()
        var errors: [String: Int] = [:]
        var overload = 0
        var total = 0
        var inFlight = 0
    }

    private let state = Mutex(State())

    func succeeded(_ referralID: String, intendedAt: Date, measured: Bool) {
        let latency = Date().timeIntervalSince(intendedAt)
        state.withLock {
            $0.total += 1
            guard measured else { return }
            $0.measured[referralID] = intendedAt
            $0.rpc.record(seconds: latency)
        }
    }

    func failed(_ error: any Error, measured: Bool) {
        let code = (error as? RPCError).map { "\($0.code)" } ?? "\(type(of: error))"
        state.withLock {
            $0.total += 1
            if measured { $0.errors[code, default: 0] += 1 }
        }
    }

    /// Counts a submission in flight; false (and one more overload) when `maximumInFlight` are.
    func begin(maximumInFlight: Int) -> Bool {
        state.withLock {
            guard $0.inFlight < maximumInFlight else {
                $0.overload += 1
                return false
            }
            $0.inFlight += 1
            return true
        }
    }

    func end() { state.withLock { $0.inFlight -= 1 } }

    var measuredIDs: [String: Date] { state.withLock { $0.measured } }
    var rpc: LatencyHistogram { state.withLock { $0.rpc } }
    var errors: [String: Int] { state.withLock { $0.errors } }
    var overload: Int { state.withLock { $0.overload } }
    /// Every submission answered, warm-up included.
    var total: Int { state.withLock { $0.total } }
}
