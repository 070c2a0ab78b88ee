import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Invites the citizen to the satisfaction survey when their case is completed.
struct CompletedCaseInviter {
    let store: SurveyStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_CaseCompleted.self) { completed, _, connection in
                try await store.invite(referralID: completed.referralID, at: store.outbox.clock.now, on: connection)
            }
            .ignoring(Layar_V1_CaseAssigned.self, Layar_V1_CaseTransitioned.self, Layar_V1_CaseDeadlineMissed.self)
    }
}
