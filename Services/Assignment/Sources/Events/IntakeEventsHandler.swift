import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Reads intake's topic: keeps the person details offers may need (`ReferralSubmitted`) and
/// stops work on withdrawn referrals (`ReferralWithdrawn`).
struct IntakeEventsHandler: EventHandler {
    let store: CaseStore
    let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType, Layar_V1_ReferralWithdrawn.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        if event.type == Layar_V1_ReferralSubmitted.eventType {
            try await store.recordPerson(try event.decode(Layar_V1_ReferralSubmitted.self), on: connection)
        } else {
            let withdrawn = try event.decode(Layar_V1_ReferralWithdrawn.self)
            try await store.withdraw(referralID: withdrawn.referralID, at: withdrawn.withdrawnAt.date, on: connection)
        }
    }
}
