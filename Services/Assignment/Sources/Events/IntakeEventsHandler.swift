import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Reads intake's topic: keeps the person details offers may need (`ReferralSubmitted`) and
/// stops work on withdrawn referrals (`ReferralWithdrawn`).
struct IntakeEventsHandler {
    let store: CaseStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralSubmitted.self) { submitted, _, connection in
                try await store.recordPerson(submitted, on: connection)
            }
            .on(Layar_V1_ReferralWithdrawn.self) { withdrawn, _, connection in
                try await store.withdraw(referralID: withdrawn.referralID, at: withdrawn.withdrawnAt.date, on: connection)
            }
            // Documents are verification's: a case starts from a verified referral.
            .ignoring(Layar_V1_ReferralDocumentsAdded.self)
    }
}
