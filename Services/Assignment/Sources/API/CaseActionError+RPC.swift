import GRPCCore
import LayarDomain
import LayarRuntime

/// The gRPC status of each ``CaseActionError``: a handler simply throws the store's error, and
/// grpc-swift answers it with this status (field details for INVALID_ARGUMENT).
extension CaseActionError: RPCErrorConvertible {
    private var status: any RPCErrorConvertible {
        switch self {
        case .caseNotFound: RPCError(code: .notFound, message: "Belum ada kasus untuk rujukan ini")
        case .offerNotFound: RPCError(code: .notFound, message: "Rujukan lembaga tidak ditemukan")
        case .notAllowed(let message): RPCError(code: .failedPrecondition, message: message)
        case .invalidField(let field, let message): FieldViolations([.init(field, message)]).error
        }
    }

    var rpcErrorCode: RPCError.Code { status.rpcErrorCode }
    var rpcErrorMessage: String { status.rpcErrorMessage }
    var rpcErrorMetadata: Metadata { status.rpcErrorMetadata }
}
