import GRPCCore
import LayarRuntime

/// The institution a partner call acts for, bound by ``PartnerAuthenticator``.
enum PartnerIdentity {
    @TaskLocal static var institutionCode: String?

    /// The authenticated institution; UNAUTHENTICATED outside an authenticated call.
    static func require() throws -> String {
        guard let code = institutionCode else {
            throw RPCError(code: .unauthenticated, message: "Kunci API lembaga diperlukan")
        }
        return code
    }
}

/// Authenticates partner calls by their `authorization: Bearer <key>` metadata against the
/// institutions' key digests, and binds the institution for the handler.
struct PartnerAuthenticator: ServerInterceptor {
    let registry: RegistryStore

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard let key = request.metadata.bearerToken, !key.isEmpty, let code = try await registry.institutionCode(forKey: key)
        else {
            throw RPCError(code: .unauthenticated, message: "Kunci API lembaga tidak ada atau tidak berlaku")
        }
        AuditedCall.current?.identify(partner: code)
        return try await PartnerIdentity.$institutionCode.withValue(code) { try await next(request, context) }
    }
}
