import LayarPostgres
import LayarRuntime
import LayarSchema

/// Collects the other services' answers to data-subject requests.
struct DataSubjectAnswers: EventHandler {
    let store: IntakeStore

    let eventTypes: Set<String> = [Layar_V1_DataSubjectRequestAnswered.eventType]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let answered = try event.decode(Layar_V1_DataSubjectRequestAnswered.self)
        try await store.recordAnswer(answered, at: store.clock.now, on: connection)
    }
}
