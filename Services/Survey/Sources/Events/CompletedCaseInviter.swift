import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Invites the citizen to the satisfaction survey when their case is completed.
struct CompletedCaseInviter: EventHandler {
    let store: SurveyStore
    let eventTypes: Set<String> = [Layar_V1_CaseCompleted.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let completed = try event.decode(Layar_V1_CaseCompleted.self)
        try await store.invite(referralID: completed.referralID, at: store.outbox.clock.now, on: connection)
    }
}
