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
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        try await CaseWorkerScope.requireAccess(
            to: id, unscoped: NotificationAccessPolicy.policy.rolesBeyondOwnCases("ListMessages"), pool: store.pool
        )
        // Staff read what was said, never the codes in it: a tracking or survey code in staff
        // hands would let them follow the case as the applicant or rate their own work.
        let messages = try await store.messages(for: id).map(MessageRedaction.forStaff)
        return .with { $0.messages = messages }
    }

    func listDeadLetters(
        request: Layar_V1_ListDeadLettersRequest, context: ServerContext
    ) async throws -> Layar_V1_ListMessagesResponse {
        let limit = request.limit <= 0 ? 100 : min(Int(request.limit), 1000)
        let messages = try await store.deadLetters(limit: limit)
        return .with { $0.messages = messages }
    }

    /// A staff member reads their own inbox (by username or case-worker id) and their roles'
    /// ("role:verifier"); supervisors and administrators oversee every inbox.
    static func requireOwnInbox(_ recipient: String) throws {
        guard let identity = StaffIdentity.current else {
            throw RPCError(code: .unauthenticated, message: "Kotak masuk hanya untuk petugas yang sudah masuk.")
        }
        if !identity.roles.isDisjoint(with: [.supervisor, .admin]) { return }
        let own = recipient == identity.username || (!identity.caseWorkerID.isEmpty && recipient == identity.caseWorkerID)
        let role = InboxRecipient.role(in: recipient)
        guard own || role.map(identity.roles.contains) == true else {
            throw RPCError(code: .permissionDenied, message: "Ini bukan kotak masuk Anda.")
        }
    }

    func listInbox(request: Layar_V1_ListInboxRequest, context: ServerContext) async throws -> Layar_V1_ListMessagesResponse {
        guard !request.recipient.isEmpty, request.recipient.count <= 64 else {
            throw FieldViolations([FieldProblem("recipient", "Isi identitas petugas atau peran")]).error
        }
        try Self.requireOwnInbox(request.recipient)
        let messages = try await store.inbox(request.recipient, unreadOnly: request.unreadOnly)
        return .with { $0.messages = messages }
    }

    func markRead(request: Layar_V1_MarkReadRequest, context: ServerContext) async throws -> Layar_V1_MarkReadResponse {
        var problems: [FieldProblem] = []
        if request.recipient.isEmpty { problems.append(FieldProblem("recipient", "Isi identitas petugas atau peran")) }
        let ids = request.messageIds.compactMap { MessageID($0) }
        if ids.count != request.messageIds.count { problems.append(FieldProblem("message_ids", "Setiap ID harus berupa UUID")) }
        try FieldViolations(problems).check()
        try Self.requireOwnInbox(request.recipient)
        let marked = try await store.markRead(request.recipient, ids: ids)
        return .with { $0.marked = Int32(marked) }
    }
}
