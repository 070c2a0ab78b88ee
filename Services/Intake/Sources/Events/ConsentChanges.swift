import LayarPostgres
import LayarRuntime
import LayarSchema

/// Records the applicants' opt-outs that notification received by SMS or WhatsApp. The topic
/// takes events from notification alone (`InboundEvent` refuses any other source), so nobody
/// else can withdraw a person's consent.
struct ConsentChanges {
    let store: IntakeStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ApplicantOptedOut.self) { optedOut, event, connection in
                try await store.recordOptOut(optedOut, eventID: event.id, on: connection)
            }
            // The answers to verification's requests are verification's.
            .ignoring(Layar_V1_ApplicantReplied.self)
    }
}
