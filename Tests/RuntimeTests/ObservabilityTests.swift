import Foundation
import Hummingbird
import HummingbirdTesting
import LayarTestSupport
import Logging
import Testing
import W3CTraceContext

@testable import LayarRuntime

/// What operators scrape and collect: the Prometheus text on /metrics, readiness, and JSON log
/// lines carrying the trace and referral ids.
@Suite("Observability")
struct ObservabilityTests {
    @Test("/metrics shows what was recorded; /health/ready follows the gRPC server")
    func metricsEndpoint() async throws {
        let registry = LayarMetrics.registry  // bootstraps swift-metrics, as a service does at start
        LayarMetrics.grpcRequest(method: "layar.v1.IntakeService/SubmitReferral", code: "ok", duration: .milliseconds(12))
        LayarMetrics.eventConsumed(consumer: "layar.test.observability", topic: "layar.intake.referrals.v1", outcome: "dead_lettered")
        LayarMetrics.outbox(backlog: 3, oldestAgeSeconds: 1.5)
        let health = HealthService(services: ["layar.v1.IntakeService"])
        let router = Router()
        ObservabilityEndpoint.addRoutes(to: router, registry: registry) { health.isServing }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(text.contains(#"layar_grpc_server_requests_total{method="layar.v1.IntakeService/SubmitReferral",code="ok"}"#)
                    || text.contains(#"layar_grpc_server_requests_total{code="ok",method="layar.v1.IntakeService/SubmitReferral"}"#))
                #expect(text.contains("layar_grpc_server_request_duration_seconds_bucket"))
                #expect(text.contains("layar_dead_letters_total"))
                #expect(text.contains("layar_outbox_backlog 3"))
            }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            health.setAll(.serving)
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a JSON log line has the service, level, message, metadata and the task's trace and referral ids")
    func jsonLogLine() async throws {
        let handler = JSONLogHandler(
            label: "layar.intake", service: "layar-intake", clock: TestClock().clock, metadataProvider: LogSetup.metadataProvider
        )
        var context = TracingContext.topLevel
        context.traceContext = try TraceContext(traceParentHeaderValue: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        context.referralID = "91f1eb91-0000-4000-8000-000000000001"
        let line = try TracingContext.withValue(context) {
            try #require(handler.render(LogEvent(
                level: .warning, message: "retrying", metadata: ["attempt": "2"], source: "LayarRuntime",
                file: #fileID, function: #function, line: #line
            )))
        }
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(object["service"] as? String == "layar-intake")
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "retrying")
        #expect(object["attempt"] as? String == "2")
        #expect(object["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(object["span_id"] as? String == "00f067aa0ba902b7")
        #expect(object["referral_id"] as? String == "91f1eb91-0000-4000-8000-000000000001")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }
}
