import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The HTTP side of a service for its operators: `/metrics` (Prometheus text format),
/// `/health/live` (the process answers) and `/health/ready` (the gRPC API is serving), on
/// `LAYAR_METRICS_PORT`.
public struct ObservabilityEndpoint: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let health: HealthService
    let logger: Logger

    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, health: HealthService, logger: Logger) {
        self.host = host
        self.port = port
        self.registry = registry
        self.health = health
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        Self.addRoutes(to: router, registry: registry) { health.isServing }
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "layar-metrics"), logger: logger
        )
        try await application.run()
    }

    /// The three routes, shared with the portal (which serves them on its own port).
    public static func addRoutes<Context: RequestContext>(
        to router: Router<Context>, registry: PrometheusCollectorRegistry, ready: @escaping @Sendable () -> Bool
    ) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        router.get("/health/live") { _, _ in "ok" }
        router.get("/health/ready") { _, _ in
            ready() ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready")))
                : Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "not ready")))
        }
    }
}
