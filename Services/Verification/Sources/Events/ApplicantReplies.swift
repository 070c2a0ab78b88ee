import LayarPostgres
import LayarRuntime
import LayarSchema

/// Adds the applicants' SMS/WhatsApp answers to the verifier's case.
struct ApplicantReplies {
    let store: VerificationStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ApplicantReplied.self) { replied, event, connection in
                try await store.recordReply(replied, eventID: event.id, on: connection)
            }
            // Opt-outs are intake's to record (the consent lives with the referral).
            .ignoring(Layar_V1_ApplicantOptedOut.self)
    }
}
