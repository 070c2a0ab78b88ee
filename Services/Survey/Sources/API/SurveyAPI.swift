import GRPCCore
import LayarRuntime
import LayarSchema

/// The survey gRPC API.
struct SurveyAPI: Layar_V1_SurveyService.SimpleServiceProtocol {
    let store: SurveyStore

    func getInvitation(
        request: Layar_V1_GetInvitationRequest, context: ServerContext
    ) async throws -> Layar_V1_SurveyInvitation {
        let id = try RequestFields.uuid(request.referralID, field: "referral_id")
        guard let invitation = try await store.invitation(for: id) else {
            throw RPCError(code: .notFound, message: "Belum ada undangan survei untuk rujukan ini")
        }
        return invitation
    }
}
