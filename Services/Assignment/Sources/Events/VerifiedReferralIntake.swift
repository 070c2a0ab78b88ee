import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Opens a case for every verified referral and assigns a case worker when one is available.
struct VerifiedReferralIntake: EventHandler {
    let store: CaseStore
    let eventTypes: Set<String> = [Layar_V1_ReferralVerified.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let verified = try event.decode(Layar_V1_ReferralVerified.self)
        try await store.openCase(for: verified, at: store.clock.now, on: connection)
    }
}
