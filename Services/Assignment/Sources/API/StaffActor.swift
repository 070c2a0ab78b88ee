import GRPCCore

/// The staff member acting in a call, recorded in the case ledger ("who"). Read from the
/// `x-layar-actor` metadata; the security work replaces this with the authenticated caller.
enum StaffActor {
    @TaskLocal static var current = "staff"

    static let metadataKey = "x-layar-actor"

    /// Staff ids: letters, digits, '.', '_', '@', '-', up to 64 characters.
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte | 0x20) || "._@-".utf8.contains(byte)
            }
    }
}

/// Binds ``StaffActor/current`` for the call.
struct StaffActorInterceptor: ServerInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard let actor = request.metadata[stringValues: StaffActor.metadataKey].first(where: { _ in true }) else {
            return try await next(request, context)
        }
        guard StaffActor.isValid(actor) else {
            throw RPCError(code: .invalidArgument, message: "Metadata \(StaffActor.metadataKey) tidak valid")
        }
        return try await StaffActor.$current.withValue(actor) { try await next(request, context) }
    }
}
