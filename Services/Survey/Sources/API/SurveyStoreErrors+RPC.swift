import GRPCCore

/// The gRPC status of each of the survey stores' refusals: handlers throw them as they are and
/// grpc-swift answers with these (the one mapping; the audit log and metrics read the same code).
extension SurveyStore.ResponseError: RPCErrorConvertible {
    var rpcErrorCode: RPCError.Code { self == .unknownCode ? .notFound : .failedPrecondition }

    var rpcErrorMessage: String {
        switch self {
        case .unknownCode: "Kode survei tidak dikenal"
        case .alreadyUsed: "Kode survei ini sudah digunakan"
        case .expired: "Kode survei ini sudah kedaluwarsa"
        }
    }
}

extension ComplaintStore.ActionError: RPCErrorConvertible {
    var rpcErrorCode: RPCError.Code { self == .notFound ? .notFound : .failedPrecondition }

    var rpcErrorMessage: String {
        switch self {
        case .notFound: "Pengaduan tidak ditemukan"
        case .notAllowed: "Tindakan ini tidak dapat dilakukan pada status pengaduan sekarang"
        }
    }
}
