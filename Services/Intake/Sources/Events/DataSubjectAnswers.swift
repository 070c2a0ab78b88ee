import LayarPostgres
import LayarRuntime
import LayarSchema

/// Collects the other services' answers to data-subject requests.
struct DataSubjectAnswers {
    let store: IntakeStore

    var router: EventRouter {
        EventRouter().on(Layar_V1_DataSubjectRequestAnswered.self) { answered, _, connection in
            try await store.recordAnswer(answered, at: store.clock.now, on: connection)
        }
    }
}
