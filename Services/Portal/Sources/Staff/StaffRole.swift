/// What a staff member may do in the console. Supervisors also see every verifier's and case
/// worker's page (they confirm rejections and move cases).
public enum StaffRole: String, Sendable, CaseIterable {
    case verifier
    case supervisor
    case caseWorker = "case_worker"
    case `operator`
    case complaintDesk = "complaint_desk"
    case monitoring
}

/// A signed-in staff member, as the pages need them.
struct StaffSession: Sendable {
    var username: String
    var displayName: String
    var roles: Set<StaffRole>
    /// The assignment service's id of this person as a case worker ("" when not one).
    var caseWorkerID: String
    /// Sent back with every form: a cross-site page cannot know it.
    var csrfToken: String

    func has(_ role: StaffRole) -> Bool {
        roles.contains(role) || (roles.contains(.supervisor) && [.verifier, .caseWorker].contains(role))
    }
}
