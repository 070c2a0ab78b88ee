import GRPCCore
import LayarDomain
import LayarRuntime

extension CaseActionError {
    /// The gRPC status for the error: field details for INVALID_ARGUMENT.
    var rpcError: any Error {
        switch self {
        case .caseNotFound: RPCError(code: .notFound, message: "Belum ada kasus untuk rujukan ini")
        case .offerNotFound: RPCError(code: .notFound, message: "Rujukan lembaga tidak ditemukan")
        case .notAllowed(let message): RPCError(code: .failedPrecondition, message: message)
        case .invalidField(let field, let message): FieldViolations([.init(field, message)]).error
        }
    }
}

/// Runs a store call, turning ``CaseActionError`` into its gRPC status.
func mappingCaseErrors<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as CaseActionError {
        throw error.rpcError
    }
}
