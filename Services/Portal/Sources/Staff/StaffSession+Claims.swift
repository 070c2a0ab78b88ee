import Foundation
import LayarRuntime

extension StaffSession {
    /// The claims of a staff token for this session: who, with which roles and case-worker id,
    /// from `issuedAt` for `lifetime` (the console's calls and layarctl's exchange alike).
    func claims(issuedAt: Date, lifetime: Duration) -> StaffClaims {
        StaffClaims(
            username: username, roles: roles.sorted { $0.rawValue < $1.rawValue }, caseWorkerID: caseWorkerID,
            sessionID: sessionID, issuedAt: issuedAt, lifetime: lifetime
        )
    }
}
