import LayarSchema

/// The complaint lifecycle: which action is allowed in which status and where it leads. The
/// first assignment, response, forwarding or resolution meets the forwarding deadline; the
/// resolution meets the follow-up deadline.
public enum ComplaintWorkflow {
    public struct NotAllowed: Error, Equatable {
        public var action: Layar_V1_ComplaintAction
        public var status: Layar_V1_ComplaintStatus
    }

    /// The status after `action`, or ``NotAllowed``.
    public static func next(
        after action: Layar_V1_ComplaintAction, from status: Layar_V1_ComplaintStatus, hasHandler: Bool
    ) throws -> Layar_V1_ComplaintStatus {
        let open: Set<Layar_V1_ComplaintStatus> = [.received, .assigned, .responded]
        switch action {
        case .assign where status != .closed && status != .resolved:
            return status == .received ? .assigned : status
        case .respond where status != .closed:
            return open.contains(status) ? .responded : status
        case .resolve where open.contains(status):
            return .resolved
        case .close where status == .responded || status == .resolved:
            return .closed
        case .reopen where status == .resolved || status == .closed:
            return hasHandler ? .assigned : .received
        case .forwardToLapor where status != .closed:
            return status
        default:
            throw NotAllowed(action: action, status: status)
        }
    }

    /// Whether the action counts as the first handling (verification/forwarding deadline).
    public static func isFirstHandling(_ action: Layar_V1_ComplaintAction) -> Bool {
        [.assign, .respond, .resolve, .forwardToLapor].contains(action)
    }
}
