import LayarSchema

/// How far along a status is. Events from different topics can arrive in any order (an
/// assignment before the verification that caused it), so the projection only moves a referral
/// forward; the documents loop (NEEDS_DOCUMENTS back to SUBMITTED) is intake's own command.
/// WITHDRAWN is final.
extension Layar_V1_ReferralStatus {
    var progress: Int {
        switch self {
        case .submitted: 1
        case .needsDocuments: 2
        case .verified, .rejected: 3
        case .assigned: 4
        case .completed: 5
        case .withdrawn: 9
        default: 0
        }
    }

    /// Statuses after which a referral is no longer open (a new one may be submitted for the person).
    static let closed: [Layar_V1_ReferralStatus] = [.rejected, .completed, .withdrawn]
}
