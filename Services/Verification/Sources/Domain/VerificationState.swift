import LayarSchema

/// Where a referral stands in verification (`subjects.state`, whose CHECK lists the same values).
enum VerificationState: String, Sendable, CaseIterable {
    /// Received; the automatic checks run (or wait for a registry).
    case checking
    /// In the verifiers' queue.
    case queued
    /// The applicant was asked for documents; checked again when they come.
    case informationRequested = "information_requested"
    /// A verifier proposed a rejection; another person confirms or declines it.
    case rejectionProposed = "rejection_proposed"
    case verified
    case rejected
    /// Withdrawn by the applicant (intake's event).
    case withdrawn
    /// Its case was completed (assignment's event).
    case completed

    /// The outcome staff see for a referral in this state.
    var outcome: Layar_V1_VerificationOutcome {
        switch self {
        case .verified: .verified
        case .rejected: .rejected
        case .informationRequested: .informationRequested
        case .queued: .queued
        case .rejectionProposed: .rejectionProposed
        case .checking, .withdrawn, .completed: .unspecified
        }
    }
}

/// What was done, in the decision ledger (`verifications.action`).
enum VerificationAction: String, Sendable, CaseIterable {
    /// The checks were all clean.
    case autoVerified = "auto_verified"
    /// A verifier verified a queued referral.
    case verified
    case queued
    case informationRequested = "information_requested"
    case rejectionProposed = "rejection_proposed"
    case rejectionConfirmed = "rejection_confirmed"
    case rejectionDeclined = "rejection_declined"
}
