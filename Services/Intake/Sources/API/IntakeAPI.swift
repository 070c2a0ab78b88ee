import Foundation
import GRPCCore
import LayarRuntime
import LayarSchema

/// The intake gRPC API: decodes requests, applies the form rules, calls the store.
struct IntakeAPI: Layar_V1_IntakeService.SimpleServiceProtocol {
    let store: IntakeStore

    func submitReferral(
        request: Layar_V1_SubmitReferralRequest, context: ServerContext
    ) async throws -> Layar_V1_SubmitReferralResponse {
        try FieldViolations(ReferralFormValidator.problems(in: request.form)).check()
        let stored = try await store.submit(request.form)
        return .with {
            $0.referralID = stored.id.uuidString.lowercased()
            $0.trackingCode = stored.trackingCode
            $0.status = .submitted
        }
    }

    func getReferral(
        request: Layar_V1_GetReferralRequest, context: ServerContext
    ) async throws -> Layar_V1_ReferralSummary {
        let key: IntakeStore.Key
        switch request.key {
        case .trackingCode(let code) where TrackingCode.isWellFormed(code.uppercased()):
            key = .trackingCode(code.uppercased())
        case .referralID(let text) where UUID(uuidString: text) != nil:
            key = .id(UUID(uuidString: text)!)
        case .trackingCode:
            throw FieldViolations([.init("tracking_code", "Kode pelacakan tidak dikenali (contoh: LYR-7K3M-Q9TX)")]).error
        default:
            throw FieldViolations([.init("referral_id", "Isi kode pelacakan atau ID rujukan yang benar")]).error
        }
        guard let summary = try await store.summary(key) else {
            throw RPCError(code: .notFound, message: "Rujukan tidak ditemukan")
        }
        return summary
    }
}
