import GRPCCore
import LayarPostgres
import Logging

/// Makes a call's deadline reach the work it started.
///
/// grpc-swift signals a call past its deadline (or abandoned by its client) through the
/// context's cancellation handle and leaves the handler running. This interceptor runs the
/// handler in a child task and cancels that task when the call is cancelled; the cancellation
/// then reaches the database (a waiting pool lease gives up, a running statement gets a server
/// cancel request), so no work or lock outlives the caller. It also answers storage failures
/// with a status a client can act on instead of `UNKNOWN`: a statement that hit the server's
/// `statement_timeout`, or a database that cannot be reached, is `UNAVAILABLE` (retry later).
public struct DeadlineServerInterceptor: ServerInterceptor {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let started = ContinuousClock.now
        let timeout = request.metadata.firstString("grpc-timeout").flatMap(Self.duration)
        do {
            // The group awaits both tasks before it returns, so `next` does not outlive this call.
            let outcome = try await withoutActuallyEscaping(next) { next in
                try await withThrowingTaskGroup(of: StreamingServerResponse<Output>?.self) { group in
                    group.addTask { try await next(request, context) }
                    group.addTask {
                        try await context.cancellation.cancelled
                        return nil
                    }
                    let first = try await group.next()!
                    group.cancelAll()
                    return first
                }
            }
            guard let response = outcome else { throw Self.cancelled(started: started, timeout: timeout) }
            // Errors thrown below the next interceptor arrive as a refused response.
            if case .failure(let error) = response.accepted, let mapped = mapped(error, context, started: started, timeout: timeout) {
                return StreamingServerResponse(error: mapped)
            }
            return response
        } catch {
            throw mapped(error, context, started: started, timeout: timeout) ?? error
        }
    }

    /// The status for a storage failure or a cancellation, nil for anything else.
    private func mapped(_ error: any Error, _ context: ServerContext, started: ContinuousClock.Instant, timeout: Duration?) -> RPCError? {
        let underlying = (error as? RPCError).flatMap { $0.code == .unknown ? $0.cause : nil } ?? error
        if context.cancellation.isCancelled, underlying is PostgresError || underlying is CancellationError {
            return Self.cancelled(started: started, timeout: timeout)
        }
        guard let failure = underlying as? PostgresError,
              failure.kind == .connection || failure.kind == .closed || failure.sqlState == "57014"
        else { return nil }
        // An operational signal (a slow or unreachable database), not the caller's fault.
        logger.warning("\(context.descriptor.fullyQualifiedMethod) answered UNAVAILABLE: \(failure)")
        return RPCError(code: .unavailable, message: "Layanan sedang sibuk. Silakan coba lagi beberapa saat lagi.")
    }

    private static func cancelled(started: ContinuousClock.Instant, timeout: Duration?) -> RPCError {
        if let timeout, ContinuousClock.now - started >= timeout {
            return RPCError(code: .deadlineExceeded, message: "Batas waktu permintaan terlampaui.")
        }
        return RPCError(code: .cancelled, message: "Permintaan dibatalkan.")
    }

    /// The `grpc-timeout` header: up to 8 digits and a unit (H, M, S, m, u, n).
    static func duration(_ header: String) -> Duration? {
        guard let unit = header.last, header.count >= 2, header.count <= 9, let value = Int64(header.dropLast()), value >= 0
        else { return nil }
        switch unit {
        case "H": return .seconds(value * 3600)
        case "M": return .seconds(value * 60)
        case "S": return .seconds(value)
        case "m": return .milliseconds(value)
        case "u": return .microseconds(value)
        case "n": return .nanoseconds(value)
        default: return nil
        }
    }
}
