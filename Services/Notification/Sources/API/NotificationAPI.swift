import GRPCCore
import LayarRuntime
import LayarSchema

/// The notification gRPC API.
struct NotificationAPI: Layar_V1_NotificationService.SimpleServiceProtocol {
    let store: NotificationStore

    func listMessages(
        request: Layar_V1_ListMessagesRequest, context: ServerContext
    ) async throws -> Layar_V1_ListMessagesResponse {
        let id = try RequestFields.uuid(request.referralID, field: "referral_id")
        let messages = try await store.messages(for: id)
        return .with { $0.messages = messages }
    }
}
