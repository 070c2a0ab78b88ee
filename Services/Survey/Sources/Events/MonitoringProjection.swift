import LayarPostgres
import LayarRuntime
import LayarSchema

/// Feeds the monitoring read model from intake's submissions, assignment's completions and
/// notification's deliveries.
struct MonitoringProjection {
    let store: MonitoringStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralSubmitted.self) { submitted, _, connection in
                try await store.recordSubmitted(submitted, on: connection)
            }
            .on(Layar_V1_CaseCompleted.self) { completed, _, connection in
                try await store.recordCompleted(completed, on: connection)
            }
            .on(Layar_V1_NotificationDelivered.self) { delivered, _, connection in
                try await store.recordDelivered(delivered, on: connection)
            }
            // The report counts submissions and completions; the steps between are not its figures.
            .ignoring(
                Layar_V1_ReferralDocumentsAdded.self, Layar_V1_ReferralWithdrawn.self, Layar_V1_CaseAssigned.self,
                Layar_V1_CaseTransitioned.self, Layar_V1_CaseDeadlineMissed.self
            )
    }
}
