import LayarPostgres
import LayarRuntime
import LayarSchema

/// Feeds the monitoring read model from intake's submissions and assignment's completions.
struct MonitoringProjection: EventHandler {
    let store: MonitoringStore
    let eventTypes: Set<String> = [Layar_V1_ReferralSubmitted.eventType, Layar_V1_CaseCompleted.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        switch event.type {
        case Layar_V1_ReferralSubmitted.eventType:
            try await store.recordSubmitted(try event.decode(Layar_V1_ReferralSubmitted.self), on: connection)
        case Layar_V1_CaseCompleted.eventType:
            try await store.recordCompleted(try event.decode(Layar_V1_CaseCompleted.self), on: connection)
        default:
            break
        }
    }
}
