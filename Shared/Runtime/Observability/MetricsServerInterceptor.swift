import GRPCCore

/// Counts every gRPC call by method and status code and records its duration.
public struct MetricsServerInterceptor: ServerInterceptor {
    public init() {}

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            let code: String = switch response.accepted {
            case .success: "ok"
            case .failure(let error): String(describing: error.code)
            }
            LayarMetrics.grpcRequest(method: method, code: code, duration: ContinuousClock.now - started)
            return response
        } catch {
            // A store's refusal is an RPCErrorConvertible: the code its caller gets, counted here too.
            let code = (error as? any RPCErrorConvertible).map { String(describing: $0.rpcErrorCode) } ?? "unknown"
            LayarMetrics.grpcRequest(method: method, code: code, duration: ContinuousClock.now - started)
            throw error
        }
    }
}
