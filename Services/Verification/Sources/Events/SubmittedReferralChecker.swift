import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Checks each submitted referral and records the decision (which emits verified or rejected).
struct SubmittedReferralChecker: EventHandler {
    let store: VerificationStore
    let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let referral = try event.decode(Layar_V1_ReferralSubmitted.self)
        try await store.record(IdentityCheck.decide(referral), for: referral, at: Date(), on: connection)
    }
}
