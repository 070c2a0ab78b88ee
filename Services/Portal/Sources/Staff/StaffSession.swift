import LayarRuntime

/// A signed-in staff member, as the pages need them.
struct StaffSession: Sendable {
    var username: String
    var displayName: String
    var roles: Set<StaffRole>
    /// The assignment service's id of this person as a case worker ("" when not one).
    var caseWorkerID: String
    /// Sent back with every form: a cross-site page cannot know it.
    var csrfToken: String
    /// Names the session in the staff tokens made for it (a digest, not the cookie's secret).
    var sessionID: String = ""

    /// The signed-in staff member of the page being served: the portal's calls to the services
    /// carry a token for them (see ``StaffTokenClientInterceptor``).
    @TaskLocal static var current: StaffSession?

    func has(_ role: StaffRole) -> Bool {
        roles.contains(role) || (roles.contains(.supervisor) && [.verifier, .caseWorker].contains(role))
    }
}
