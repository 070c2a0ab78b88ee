import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Records a message for the applicant for every lifecycle event, once per (event, audience,
/// channel). Contact details arrive on their own topic, possibly after the first events; a
/// message recorded before them waits with channel UNSPECIFIED until delivery resolves it.
struct ApplicantNotifier: EventHandler {
    let store: NotificationStore

    let eventTypes: Set<String> = [
        Layar_V1_ApplicantContactRecorded.eventType, Layar_V1_ReferralSubmitted.eventType,
        Layar_V1_ReferralWithdrawn.eventType, Layar_V1_ReferralInformationRequested.eventType,
        Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralRejected.eventType,
        Layar_V1_CaseAssigned.eventType, Layar_V1_CaseCompleted.eventType,
        Layar_V1_SurveyInvitationCreated.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let referralID: String
        let applicantEvent: ApplicantMessages.ApplicantEvent
        switch event.type {
        case Layar_V1_ApplicantContactRecorded.eventType:
            let contact = try event.decode(Layar_V1_ApplicantContactRecorded.self)
            try await store.saveContact(contact, on: connection)
            return
        case Layar_V1_ReferralSubmitted.eventType:
            let submitted = try event.decode(Layar_V1_ReferralSubmitted.self)
            try await store.saveTrackingCode(submitted.trackingCode, referralID: submitted.referralID, on: connection)
            (referralID, applicantEvent) = (submitted.referralID, .submitted)
        case Layar_V1_ReferralWithdrawn.eventType:
            (referralID, applicantEvent) = (try event.decode(Layar_V1_ReferralWithdrawn.self).referralID, .withdrawn)
        case Layar_V1_ReferralInformationRequested.eventType:
            let requested = try event.decode(Layar_V1_ReferralInformationRequested.self)
            let names = requested.missingDocuments.map(\.displayName)
            (referralID, applicantEvent) = (requested.referralID, .informationRequested(documents: names))
        case Layar_V1_ReferralVerified.eventType:
            (referralID, applicantEvent) = (try event.decode(Layar_V1_ReferralVerified.self).referralID, .verified)
        case Layar_V1_ReferralRejected.eventType:
            (referralID, applicantEvent) = (try event.decode(Layar_V1_ReferralRejected.self).referralID, .rejected)
        case Layar_V1_CaseAssigned.eventType:
            let assigned = try event.decode(Layar_V1_CaseAssigned.self)
            (referralID, applicantEvent) = (assigned.referralID, .assigned(caseWorkerName: assigned.caseWorkerName))
        case Layar_V1_CaseCompleted.eventType:
            (referralID, applicantEvent) = (try event.decode(Layar_V1_CaseCompleted.self).referralID, .completed)
        case Layar_V1_SurveyInvitationCreated.eventType:
            let invited = try event.decode(Layar_V1_SurveyInvitationCreated.self)
            (referralID, applicantEvent) = (invited.referralID, .surveyInvited(code: invited.code))
        default:
            return
        }
        let applicant = try await store.applicant(referralID, on: connection)
        guard let body = ApplicantMessages.text(for: applicantEvent, trackingCode: applicant.trackingCode) else { return }
        let channel = applicant.channel ?? .unspecified
        try await store.record(
            referralID: referralID, eventID: event.id, eventType: event.type, audience: .applicant,
            channel: channel, body: body, status: channel == .none ? .suppressed : .pending, at: Date(),
            on: connection
        )
    }
}
