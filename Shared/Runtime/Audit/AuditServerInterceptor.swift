import Foundation
import GRPCCore
import LayarDomain
import LayarPostgres
import Logging

/// Records who read or changed whose data, from where, through which RPC, and how it ended, in
/// the service's append-only `audit_log`: every staff and partner call (a public call made with a
/// staff token, such as an operator's walk-in submission, is the staff member's), every call refused for
/// its credentials, and every public call that names a referral (tracking one, answering a
/// survey); public calls that only create (a submission, a complaint) leave their own record.
/// The entry is written before the answer leaves, so a call whose entry cannot be written fails
/// (UNAVAILABLE) rather than hand out data unrecorded.
public struct AuditServerInterceptor: ServerInterceptor {
    private let pool: PostgresPool
    private let clock: LayarClock
    private let logger: Logger

    public init(pool: PostgresPool, clock: LayarClock, logger: Logger) {
        self.pool = pool
        self.clock = clock
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard context.descriptor.service != AccessPolicy.health.service else { return try await next(request, context) }
        let call = AuditedCall()
        // The subject is read from the request as the handler consumes it.
        let observed = StreamingServerRequest(
            metadata: request.metadata,
            messages: RPCAsyncSequence(wrapping: request.messages.map { message in
                if let named = message as? any AuditedRequest { call.name(subject: named.auditSubject) }
                return message
            })
        )
        let response: StreamingServerResponse<Output>
        do {
            response = try await AuditedCall.$current.withValue(call) { try await next(observed, context) }
        } catch {
            // A store's refusal is an RPCErrorConvertible: the code its caller gets, here too.
            try await record(call, context, outcome: (error as? any RPCErrorConvertible)?.rpcErrorCode ?? .unknown)
            throw error
        }
        switch response.accepted {
        case .success: try await record(call, context, outcome: nil)
        case .failure(let error): try await record(call, context, outcome: error.code)
        }
        return response
    }

    private func record(_ call: AuditedCall, _ context: ServerContext, outcome: RPCError.Code?) async throws {
        let staff = call.staff
        let partner = call.partner
        let refused = outcome == .unauthenticated || outcome == .permissionDenied
        guard staff != nil || partner != nil || !call.subject.isEmpty || refused else { return }
        let actor = staff?.username ?? partner.map { "partner:\($0)" } ?? (refused ? "anonymous" : "public")
        do {
            try await pool.withConnection { connection in
                try await AuditLog.record(
                    actor: actor, roles: (staff?.roles ?? []).map(\.rawValue), method: context.descriptor.fullyQualifiedMethod,
                    subject: call.subject, peer: context.remotePeer, outcome: outcome.map { String(describing: $0) } ?? "ok",
                    at: clock.now, on: connection
                )
            }
        } catch {
            logger.error("could not record \(context.descriptor.fullyQualifiedMethod) in the audit log: \(error)")
            throw RPCError(code: .unavailable, message: "Layanan sedang sibuk. Silakan coba lagi beberapa saat lagi.")
        }
    }
}
