import LayarSchema

/// Statuses only move forward. Events from different topics can arrive in any order (an
/// assignment before the verification that caused it), so the projection keeps the furthest one.
extension Layar_V1_ReferralStatus {
    var progress: Int {
        switch self {
        case .submitted: 1
        case .verified, .rejected: 2
        case .assigned: 3
        case .completed: 4
        default: 0
        }
    }
}
