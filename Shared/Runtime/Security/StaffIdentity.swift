/// Who is calling, once ``AuthorizationServerInterceptor`` has checked the bearer token; a task
/// local for the handler and everything it calls.
public struct StaffIdentity: Sendable, Equatable {
    public var username: String
    public var roles: Set<StaffRole>
    /// The caller's case-worker id; empty when not a case worker.
    public var caseWorkerID: String

    public init(username: String, roles: Set<StaffRole>, caseWorkerID: String = "") {
        self.username = username
        self.roles = roles
        self.caseWorkerID = caseWorkerID
    }

    @TaskLocal public static var current: StaffIdentity?

    /// True when the caller acts only as a case worker: such a caller sees their own cases only.
    public var isCaseWorkerOnly: Bool {
        roles.contains(.caseWorker) && roles.isDisjoint(with: [.admin, .supervisor])
    }
}
