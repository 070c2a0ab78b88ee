import GRPCCore
import GRPCProtobuf

/// What a failed call means for a page: field problems to show next to the inputs, or one
/// message for the top of the page. Messages are the services' own (already in Bahasa
/// Indonesia) except for transport failures, which the citizen cannot act on beyond retrying.
struct BackendFailure: Error {
    var message: String
    /// Field path (as the service names it, e.g. `form.person.nik`) -> problem.
    var fields: [String: String]
    var code: RPCError.Code

    init(_ error: any Error) {
        guard let rpc = error as? RPCError else {
            self.init(message: "Terjadi kesalahan. Silakan coba lagi.", code: .internalError)
            return
        }
        var fields: [String: String] = [:]
        if let status = try? rpc.unpackGoogleRPCStatus() {
            for violation in status.details.flatMap({ $0.badRequest?.violations ?? [] }) where fields[violation.field] == nil {
                fields[violation.field] = violation.violationDescription
            }
        }
        let message = switch rpc.code {
        case .unavailable, .deadlineExceeded:
            "Layanan sedang sibuk atau terputus. Data Anda belum terkirim; silakan coba lagi sebentar lagi."
        case .internalError, .unknown, .dataLoss:
            "Terjadi kesalahan pada layanan. Silakan coba lagi."
        default:
            rpc.message
        }
        self.init(message: message, fields: fields, code: rpc.code)
    }

    init(message: String, fields: [String: String] = [:], code: RPCError.Code) {
        self.message = message
        self.fields = fields
        self.code = code
    }
}
