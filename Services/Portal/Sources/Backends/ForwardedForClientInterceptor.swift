import GRPCCore

/// Tells the services which client a call is made for (`x-forwarded-for`), so that intake's
/// per-client limits count the citizen and not the portal (intake believes it only from the
/// callers in its `LAYAR_TRUSTED_CALLERS`).
struct ForwardedForClientInterceptor: ClientInterceptor {
    /// The client address of the request being served (set by ``ClientAddressMiddleware``).
    @TaskLocal static var clientAddress: String?

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        if let address = Self.clientAddress {
            request.metadata.replaceOrAddString(address, forKey: "x-forwarded-for")
        }
        return try await next(request, context)
    }
}
