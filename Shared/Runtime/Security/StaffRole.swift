/// What a member of the office's staff may do. The role × RPC table of every service is in its
/// ``AccessPolicy``; the portal shows the pages that go with each role.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    /// Manages accounts and reference data (case workers, institutions, partner keys), reads the audit.
    case admin
    /// Oversees verification and cases: confirms rejections, moves cases, sees every queue.
    case supervisor
    case verifier
    case caseWorker = "case_worker"
    /// Enters walk-in referrals at the office on a citizen's behalf.
    case `operator`
    case complaintDesk = "complaint_desk"
    /// Reads the monitoring (monev) figures and nothing personal.
    case monitoring

    /// The shared inbox of everyone with the role (notification's `ListInbox` recipient).
    public var inboxAddress: String { Self.inboxPrefix + rawValue }

    /// The role whose shared inbox `address` names, if it names one.
    public init?(inboxAddress address: String) {
        guard address.hasPrefix(Self.inboxPrefix) else { return nil }
        self.init(rawValue: String(address.dropFirst(Self.inboxPrefix.count)))
    }

    static let inboxPrefix = "role:"
}
