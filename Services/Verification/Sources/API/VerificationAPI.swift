import Foundation
import GRPCCore
import LayarRuntime
import LayarSchema

/// The verification gRPC API.
struct VerificationAPI: Layar_V1_VerificationService.SimpleServiceProtocol {
    let store: VerificationStore

    func getVerification(
        request: Layar_V1_GetVerificationRequest, context: ServerContext
    ) async throws -> Layar_V1_Verification {
        let id = try RequestFields.uuid(request.referralID, field: "referral_id")
        guard let verification = try await store.verification(of: id) else {
            throw RPCError(code: .notFound, message: "Belum ada keputusan verifikasi untuk rujukan ini")
        }
        return verification
    }
}
