import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Checks each submitted referral, and again when the applicant adds documents it was asked
/// for; follows withdrawals and completions so that "another open case" stays true. It reads
/// assignment's topic for the completions (and, through ``CaseWorkerScope``, for who each
/// referral's case worker is: case workers see only their own referrals' checks).
struct ReferralChecker {
    let store: VerificationStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralSubmitted.self) { submitted, _, connection in
                guard try await store.saveSubject(submitted, on: connection) else { return }
                try await check(submitted.referralID, on: connection)
            }
            .on(Layar_V1_ReferralDocumentsAdded.self) { added, _, connection in
                try await store.updateDocuments(added.referralID, added.allDocuments, on: connection)
                try await check(added.referralID, on: connection)
            }
            .on(Layar_V1_ReferralWithdrawn.self) { withdrawn, _, connection in
                try await store.setState(withdrawn.referralID, .withdrawn, on: connection)
            }
            .on(Layar_V1_CaseCompleted.self) { completed, _, connection in
                try await store.setState(completed.referralID, .completed, on: connection)
            }
            .ignoring(Layar_V1_CaseAssigned.self, Layar_V1_CaseTransitioned.self, Layar_V1_CaseDeadlineMissed.self)
    }

    /// Runs the checks on a referral that is waiting for them (new, or back with documents).
    private func check(_ referralID: String, on connection: PostgresConnection) async throws {
        guard let stored = try await store.subject(referralID, on: connection),
              stored.state == .checking || stored.state == .informationRequested
        else { return }
        let context = try await store.context(for: stored.subject, referralID: referralID, on: connection)
        try await store.apply(ReferralChecks.evaluate(stored.subject, context), to: stored, at: store.clock.now, on: connection)
    }
}
