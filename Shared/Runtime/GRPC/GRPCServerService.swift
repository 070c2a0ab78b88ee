import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// Serves a service's gRPC API (plus the health service) over HTTP/2 as a lifecycle `Service`:
/// it reports SERVING once listening and, on graceful shutdown, NOT_SERVING, then lets in-flight
/// calls finish.
public struct GRPCServerService: Service {
    public var host: String
    public var port: Int
    public var services: [any RegistrableRPCService]
    public var interceptors: [ConditionalInterceptor<any ServerInterceptor>]
    public var health: HealthService
    public var logger: Logger

    public init(
        host: String, port: Int, services: [any RegistrableRPCService],
        interceptors: [ConditionalInterceptor<any ServerInterceptor>] = [], health: HealthService, logger: Logger
    ) {
        self.host = host
        self.port = port
        self.services = services
        self.interceptors = interceptors
        self.health = health
        self.logger = logger
    }

    /// Requests may carry documents (up to 10 MiB together at intake), above gRPC's 4 MiB default.
    public static let maximumRequestSize = 16 * 1024 * 1024

    public func run() async throws {
        let server = GRPCServer(
            transport: .http2NIOPosix(
                address: .ipv4(host: host, port: port), transportSecurity: .plaintext,
                config: .defaults { $0.rpc.maxRequestPayloadSize = Self.maximumRequestSize }
            ),
            services: services + [health], interceptorPipeline: interceptors
        )
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                if let address = try await server.listeningAddress {
                    logger.info("gRPC listening on \(address)")
                }
                health.setAll(.serving)
            }
        } onGracefulShutdown: {
            health.setAll(.notServing)
            server.beginGracefulShutdown()
        }
    }
}
