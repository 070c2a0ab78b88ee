import GRPCCore
import LayarSchema
import Synchronization

/// The standard `grpc.health.v1.Health` service. The server as a whole ("") and each named
/// service report SERVING once the process is ready and NOT_SERVING while it shuts down.
public final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    public typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private let statuses: Mutex<[String: Status]>

    public init(services: [String]) {
        statuses = Mutex(Dictionary(uniqueKeysWithValues: ([""] + services).map { ($0, .notServing) }))
    }

    /// Sets the status of every registered service.
    public func setAll(_ status: Status) {
        statuses.withLock { statuses in
            for key in statuses.keys { statuses[key] = status }
        }
    }

    public func status(of service: String) -> Status? { statuses.withLock { $0[service] } }

    /// Whether the server as a whole is serving (readiness).
    public var isServing: Bool { status(of: "") == .serving }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = status(of: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return .with { $0.status = status }
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        // Polls at a modest pace: health watchers are few and status changes rare.
        var last: Status?
        while !Task.isCancelled {
            let current = status(of: request.service) ?? .serviceUnknown
            if current != last {
                try await response.write(.with { $0.status = current })
                last = current
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
