import LayarRuntime
import LayarSchema

/// Whose inbox a staff or partner message lands in. Stored as its ``address`` (the inbox's key,
/// which `ListInbox` and `MarkRead` take): a person's case-worker id, `role:<role>` for everyone
/// holding a role, `partner:<code>` for an institution.
enum InboxRecipient: Equatable, Sendable {
    case caseWorker(id: String)
    case role(StaffRole)
    case partner(institutionCode: String)

    static let partnerPrefix = "partner:"

    var address: String {
        switch self {
        case .caseWorker(let id): id
        case .role(let role): role.inboxAddress
        case .partner(let code): Self.partnerPrefix + code
        }
    }

    /// The audience recorded with the message.
    var audience: Layar_V1_Audience {
        switch self {
        case .caseWorker: .caseWorker
        case .role(.verifier): .verifier
        case .role(.caseWorker): .caseWorker
        case .role: .supervisor
        case .partner: .partnerAgency
        }
    }

    /// The role whose shared inbox `address` names, if it names one.
    static func role(in address: String) -> StaffRole? { StaffRole(inboxAddress: address) }
}
