import LayarRuntime
import LayarSchema

/// Intake's events: the applicant's contact (and the messages waiting for it), the receipt of a
/// referral (and an emergency's alert to staff), linked and duplicate submissions, withdrawals,
/// documents added.
struct IntakeEventMessages {
    let store: NotificationStore
    let applicants: ApplicantMessages
    let staff: StaffMessages

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ApplicantContactRecorded.self) { contact, _, connection in
                try await store.saveContact(contact, on: connection)
                try await applicants.contactArrived(contact.referralID, on: connection)
                try await staff.factsArrived(contact.referralID, on: connection)
            }
            .on(Layar_V1_ReferralSubmitted.self) { submitted, event, connection in
                try await store.saveSubmission(submitted, on: connection)
                try await staff.factsArrived(submitted.referralID, on: connection)
                if submitted.urgency == .emergency {
                    try await staff.tell(
                        .emergencyForStaff, [.role(.supervisor), .role(.verifier)], about: submitted.referralID, event: event, on: connection
                    )
                }
                try await applicants.tell(.submitted, about: submitted.referralID, event: event, on: connection)
            }
            .on(Layar_V1_LinkedSubmissionReceived.self) { linked, event, connection in
                // Acknowledged like any new referral, under the submission's own code and contact.
                try await applicants.tell(.submitted, about: linked.referralID, event: event, on: connection)
            }
            .on(Layar_V1_DuplicateSubmitted.self) { duplicate, event, connection in
                try await applicants.tell(.duplicateSubmitted, about: duplicate.referralID, event: event, on: connection)
            }
            .on(Layar_V1_ReferralWithdrawn.self) { withdrawn, event, connection in
                try await applicants.tell(.withdrawn, about: withdrawn.referralID, event: event, on: connection)
            }
            .on(Layar_V1_ReferralDocumentsAdded.self) { added, event, connection in
                try await applicants.tell(.documentsAdded, about: added.referralID, event: event, on: connection)
            }
    }
}
