import GRPCCore
import Logging

/// Enforces the services' ``AccessPolicy`` tables on every call, denying by default.
///
/// Public and partner RPCs pass (partner keys are checked by the partner authenticator after
/// this). A staff RPC needs `authorization: Bearer <token>`: a JWT the portal signed with a key
/// whose public half this service holds, not expired, for the services' audience, with a role
/// the table allows; the caller is then ``StaffIdentity/current`` for the handler. Without keys
/// configured every staff RPC is refused.
public struct AuthorizationServerInterceptor: ServerInterceptor {
    private let policies: [ServiceDescriptor: AccessPolicy]
    private let verifier: StaffTokenVerifier?
    private let logger: Logger

    public init(policies: [AccessPolicy], verifier: StaffTokenVerifier?, logger: Logger) {
        self.policies = Dictionary((policies + [.health, .audit]).map { ($0.service, $0) }) { first, _ in first }
        self.verifier = verifier
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let identity = try await authorize(context.descriptor, metadata: request.metadata)
        guard let identity else { return try await next(request, context) }
        return try await StaffIdentity.$current.withValue(identity) { try await next(request, context) }
    }

    /// The caller's identity for a staff RPC, nil for a public or partner one; throws
    /// `UNAUTHENTICATED` (no or bad token) or `PERMISSION_DENIED` (a role the table does not allow).
    public func authorize(_ method: MethodDescriptor, metadata: Metadata) async throws -> StaffIdentity? {
        guard let access = policies[method.service]?.access(for: method) else {
            throw RPCError(code: .permissionDenied, message: "Metode \(method.method) tidak dibuka untuk siapa pun.")
        }
        guard case .staff(let allowed) = access else {
            // A public call made by a signed-in staff member (an operator's walk-in submission)
            // is theirs in the audit trail; without a valid token it stays anonymous.
            guard case .public = access, let verifier, let token = metadata.bearerToken,
                  let claims = try? await verifier.verify(token)
            else { return nil }
            let identity = StaffIdentity(username: claims.sub.value, roles: Set(claims.roles), caseWorkerID: claims.cw)
            AuditedCall.current?.identify(staff: identity)
            return identity
        }
        guard let token = metadata.bearerToken, let verifier else {
            throw RPCError(code: .unauthenticated, message: "Permintaan ini hanya untuk petugas: sertakan token masuk (Bearer).")
        }
        let claims: StaffClaims
        do {
            claims = try await verifier.verify(token)
        } catch {
            // The reason (expired, bad signature, unknown key) goes to the log, not to the caller.
            logger.notice("refused a staff token for \(method.fullyQualifiedMethod): \(error)")
            throw RPCError(code: .unauthenticated, message: "Token petugas tidak sah atau sudah kedaluwarsa; silakan masuk kembali.")
        }
        let roles = Set(claims.roles)
        let identity = StaffIdentity(username: claims.sub.value, roles: roles, caseWorkerID: claims.cw)
        AuditedCall.current?.identify(staff: identity)
        guard !roles.isDisjoint(with: allowed) else {
            throw RPCError(
                code: .permissionDenied,
                message: "Peran Anda (\(roles.map(\.rawValue).sorted().joined(separator: ", "))) tidak diizinkan untuk \(method.method)."
            )
        }
        return identity
    }
}
