import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The notification gRPC API: the delivery log, dead letters and the staff inbox.
struct NotificationAPI: Layar_V1_NotificationService.SimpleServiceProtocol {
    let store: NotificationStore

    func listMessages(
        request: Layar_V1_ListMessagesRequest, context: ServerContext
    ) async throws -> Layar_V1_ListMessagesResponse {
        let id = try RequestFields.uuid(request.referralID, field: "referral_id")
        let messages = try await store.messages(for: id)
        return .with { $0.messages = messages }
    }

    func listDeadLetters(
        request: Layar_V1_ListDeadLettersRequest, context: ServerContext
    ) async throws -> Layar_V1_ListMessagesResponse {
        let limit = request.limit <= 0 ? 100 : min(Int(request.limit), 1000)
        let messages = try await store.deadLetters(limit: limit)
        return .with { $0.messages = messages }
    }

    func listInbox(request: Layar_V1_ListInboxRequest, context: ServerContext) async throws -> Layar_V1_ListMessagesResponse {
        guard !request.recipient.isEmpty, request.recipient.count <= 64 else {
            throw FieldViolations([FieldProblem("recipient", "Isi identitas petugas atau peran")]).error
        }
        let messages = try await store.inbox(request.recipient, unreadOnly: request.unreadOnly)
        return .with { $0.messages = messages }
    }

    func markRead(request: Layar_V1_MarkReadRequest, context: ServerContext) async throws -> Layar_V1_MarkReadResponse {
        var problems: [FieldProblem] = []
        if request.recipient.isEmpty { problems.append(FieldProblem("recipient", "Isi identitas petugas atau peran")) }
        let ids = request.messageIds.compactMap(UUID.init(uuidString:))
        if ids.count != request.messageIds.count { problems.append(FieldProblem("message_ids", "Setiap ID harus berupa UUID")) }
        try FieldViolations(problems).check()
        let marked = try await store.markRead(request.recipient, ids: ids)
        return .with { $0.marked = Int32(marked) }
    }
}
