import GRPCCore
import LayarRuntime
import LayarSchema

/// The gRPC status of each of the intake store's refusals: handlers throw them as they are and
/// grpc-swift answers with these (the one mapping; the audit log and metrics read the same code).
extension IntakeStore.TrackingError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch self {
        case .notFound: .notFound
        case .throttled: .resourceExhausted
        case .notAllowed: .failedPrecondition
        }
    }

    public var rpcErrorMessage: String {
        switch self {
        // The same answer for a wrong code and a wrong PIN.
        case .notFound: "Kode pelacakan atau PIN tidak cocok"
        case .throttled: "Terlalu banyak percobaan. Coba lagi 15 menit lagi."
        case .notAllowed(let status): "Tidak dapat dilakukan pada status ini: \(StatusExplanation.text(for: status))"
        }
    }
}

extension IntakeStore.DataSubjectError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch self {
        case .noReferrals: .notFound
        case .openReferrals: .failedPrecondition
        }
    }

    public var rpcErrorMessage: String {
        switch self {
        case .noReferrals: "Tidak ada rujukan untuk NIK ini (atau datanya sudah dianonimkan)"
        case .openReferrals(let codes):
            "Rujukan \(codes.joined(separator: ", ")) masih berjalan: tarik atau selesaikan dulu sebelum data dihapus"
        }
    }
}
