import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Opens a case for every verified referral and assigns a case worker when one is available.
struct VerifiedReferralIntake {
    let store: CaseStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralVerified.self) { verified, _, connection in
                try await store.openCase(for: verified, at: store.clock.now, on: connection)
            }
            // Only a verified referral becomes a case: the other outcomes and the verifiers' own
            // steps stay with verification (a rejection of a referral without a case changes nothing here).
            .ignoring(
                Layar_V1_ReferralInformationRequested.self, Layar_V1_ReferralRejected.self, Layar_V1_ReferralQueued.self,
                Layar_V1_RejectionProposed.self, Layar_V1_RegistryProposalRaised.self
            )
    }
}
