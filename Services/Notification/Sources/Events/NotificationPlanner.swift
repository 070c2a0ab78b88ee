import LayarRuntime
import LayarSchema

/// Decides, for every lifecycle event, who is told what through which channel, and records the
/// messages (once per event, audience and channel) for the dispatcher. Nothing is sent here: this
/// runs inside the inbox transaction. One handler per family of events, each with its own routes.
struct NotificationPlanner {
    let store: NotificationStore
    let quietHours: QuietHours
    /// The public portal's address ("" when not configured): the survey invitation links to it.
    var portalURL = ""
    /// How long a non-urgent SMS or WhatsApp waits for the next steps to go with it.
    var coalescing: Duration = .zero

    var router: EventRouter {
        let applicants = ApplicantMessages(store: store, quietHours: quietHours, coalescing: coalescing)
        let staff = StaffMessages(store: store)
        return IntakeEventMessages(store: store, applicants: applicants, staff: staff).router
            .merging(VerificationEventMessages(applicants: applicants, staff: staff).router)
            .merging(CaseEventMessages(applicants: applicants, staff: staff, offers: OfferMessages(staff: staff)).router)
            .merging(SurveyEventMessages(applicants: applicants, portalURL: portalURL).router)
    }
}
