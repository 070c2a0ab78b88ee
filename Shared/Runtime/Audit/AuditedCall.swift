import Synchronization

/// What the interceptors inside ``AuditServerInterceptor`` learn about the call in hand: who
/// the caller turned out to be (a staff member, a partner agency) and whose data the request
/// names. A task local, so the audit entry can name them even when a later step refuses the call.
public final class AuditedCall: Sendable {
    private let state = Mutex<(staff: StaffIdentity?, partner: String?, subject: String)>((nil, nil, ""))

    @TaskLocal public static var current: AuditedCall?

    public init() {}

    public func identify(staff identity: StaffIdentity) {
        state.withLock { $0.staff = identity }
    }

    public func identify(partner institutionCode: String) {
        state.withLock { $0.partner = institutionCode }
    }

    /// Names whose data the call concerns (the first name given sticks).
    public func name(subject: String) {
        state.withLock { if $0.subject.isEmpty { $0.subject = String(subject.prefix(100)) } }
    }

    var staff: StaffIdentity? { state.withLock { $0.staff } }
    var partner: String? { state.withLock { $0.partner } }
    var subject: String { state.withLock { $0.subject } }
}
