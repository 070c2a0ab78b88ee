import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Closes the case of a referral its applicant withdrew.
struct WithdrawalHandler: EventHandler {
    let store: AssignmentStore
    let eventTypes: Set<String> = [Layar_V1_ReferralWithdrawn.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let withdrawn = try event.decode(Layar_V1_ReferralWithdrawn.self)
        try await store.withdraw(referralID: withdrawn.referralID, at: withdrawn.withdrawnAt.date, on: connection)
    }
}
