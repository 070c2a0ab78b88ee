import GRPCCore
import Instrumentation
import ServiceContextModule

/// Continues the caller's trace (or starts one) for the call's work: everything the call logs,
/// and every event it writes to the outbox, carries its trace id.
public struct TracingServerInterceptor: ServerInterceptor {
    public init() {}

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        var incoming = TracingContext.topLevel
        W3CTraceContextPropagator().extract(request.metadata, into: &incoming, using: MetadataExtractor())
        return try await TracingContext.withValue(.continuing(incoming.traceContext)) {
            try await next(request, context)
        }
    }
}

/// Sends the current trace with every outgoing call (the portal's and layarctl's calls).
public struct TracingClientInterceptor: ClientInterceptor {
    public init() {}

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        if let current = TracingContext.current {
            W3CTraceContextPropagator().inject(current, into: &request.metadata, using: MetadataInjector())
        }
        return try await next(request, context)
    }
}
