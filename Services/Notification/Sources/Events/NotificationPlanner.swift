import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Decides, for every lifecycle event, who is told what through which channel, and records the
/// messages (once per event, audience and channel) for the dispatcher. Nothing is sent here:
/// this runs inside the inbox transaction.
struct NotificationPlanner: EventHandler {
    let store: NotificationStore
    let quietHours: QuietHours

    let eventTypes: Set<String> = [
        Layar_V1_ApplicantContactRecorded.eventType, Layar_V1_ReferralSubmitted.eventType,
        Layar_V1_ReferralWithdrawn.eventType, Layar_V1_ReferralInformationRequested.eventType,
        Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralRejected.eventType,
        Layar_V1_CaseAssigned.eventType, Layar_V1_CaseCompleted.eventType,
        Layar_V1_SurveyInvitationCreated.eventType, Layar_V1_ReferralQueued.eventType,
        Layar_V1_RejectionProposed.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let now = Date()
        var values: [String: String] = [:]
        let referralID: String
        let kind: NotificationTemplates.Kind
        switch event.type {
        case Layar_V1_ApplicantContactRecorded.eventType:
            let contact = try event.decode(Layar_V1_ApplicantContactRecorded.self)
            try await store.saveContact(contact, on: connection)
            try await resolveWaiting(contact.referralID, now: now, on: connection)
            return
        case Layar_V1_ReferralSubmitted.eventType:
            let submitted = try event.decode(Layar_V1_ReferralSubmitted.self)
            try await store.saveSubmission(submitted, on: connection)
            if submitted.urgency == .emergency {
                try await notifyStaff(
                    .emergencyForStaff, to: [("role:supervisor", .supervisor), ("role:verifier", .verifier)],
                    event: event, referralID: submitted.referralID, extra: [:], now: now, on: connection
                )
            }
            (referralID, kind) = (submitted.referralID, .submitted)
        case Layar_V1_ReferralQueued.eventType:
            let queued = try event.decode(Layar_V1_ReferralQueued.self)
            let names = ["identity": "identitas", "domicile": "domisili", "open_case": "rujukan lain masih terbuka",
                         "registry": "DTSEN", "documents": "dokumen"]
            try await notifyStaff(
                .queuedForVerifier, to: [("role:verifier", .verifier)], event: event, referralID: queued.referralID,
                extra: ["checks": queued.failedChecks.map { names[$0] ?? $0 }.joined(separator: ", ")], now: now, on: connection
            )
            return
        case Layar_V1_RejectionProposed.eventType:
            let proposed = try event.decode(Layar_V1_RejectionProposed.self)
            try await notifyStaff(
                .rejectionForSupervisor, to: [("role:supervisor", .supervisor)], event: event, referralID: proposed.referralID,
                extra: [:], now: now, on: connection
            )
            return
        case Layar_V1_ReferralWithdrawn.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_ReferralWithdrawn.self).referralID, .withdrawn)
        case Layar_V1_ReferralInformationRequested.eventType:
            let requested = try event.decode(Layar_V1_ReferralInformationRequested.self)
            let names = requested.missingDocuments.map(\.displayName)
            values["documents"] = names.isEmpty ? "dokumen tambahan" : names.joined(separator: " atau ")
            (referralID, kind) = (requested.referralID, .informationRequested)
        case Layar_V1_ReferralVerified.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_ReferralVerified.self).referralID, .verified)
        case Layar_V1_ReferralRejected.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_ReferralRejected.self).referralID, .rejected)
        case Layar_V1_CaseAssigned.eventType:
            let assigned = try event.decode(Layar_V1_CaseAssigned.self)
            values["worker"] = assigned.caseWorkerName
            try await notifyStaff(
                .caseForWorker, to: [(assigned.caseWorkerID, .caseWorker)], event: event, referralID: assigned.referralID,
                extra: [:], now: now, on: connection
            )
            (referralID, kind) = (assigned.referralID, .assigned)
        case Layar_V1_CaseCompleted.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_CaseCompleted.self).referralID, .completed)
        case Layar_V1_SurveyInvitationCreated.eventType:
            let invited = try event.decode(Layar_V1_SurveyInvitationCreated.self)
            values["surveyCode"] = invited.code
            (referralID, kind) = (invited.referralID, .surveyInvited)
        default:
            return
        }
        let applicant = try await store.applicant(referralID, on: connection)
        values["code"] = applicant.trackingCode ?? "Anda"
        let planned = NotificationStore.Planned(
            referralID: referralID, eventID: event.id, eventType: event.type, kind: kind, audience: .applicant,
            shortBody: NotificationTemplates.render(kind, .short, values),
            longBody: NotificationTemplates.render(kind, .long, values),
            urgent: applicant.urgent, requiredNotice: Self.requiredNotices.contains(kind)
        )
        guard let contact = applicant.contact else {
            // The contact travels on its own topic and may come later: wait for it.
            try await store.record(planned, channel: .unspecified, recipient: "", status: .pending, sendAt: nil, now: now, on: connection)
            return
        }
        let candidates = ChannelChoice.candidates(for: contact, requiredNotice: planned.requiredNotice)
        guard let channel = candidates.first, let address = ChannelChoice.address(for: channel, in: contact) else {
            try await store.record(planned, channel: .unspecified, recipient: "", status: .suppressed, sendAt: nil, now: now, on: connection)
            return
        }
        try await store.record(
            planned, channel: channel, recipient: address, status: .pending,
            sendAt: quietHours.sendTime(for: now, urgent: planned.urgent, channel: channel), now: now, on: connection
        )
    }

    /// Decisions against the applicant and confirmations of their own request are told even to
    /// those who asked not to be contacted.
    static let requiredNotices: Set<NotificationTemplates.Kind> = [.rejected, .withdrawn]

    private func resolveWaiting(_ referralID: String, now: Date, on connection: PostgresConnection) async throws {
        let applicant = try await store.applicant(referralID, on: connection)
        guard let contact = applicant.contact else { return }
        for waiting in try await store.waitingForContact(referralID, on: connection) {
            let channel = ChannelChoice.candidates(for: contact, requiredNotice: waiting.requiredNotice).first
            let address = channel.flatMap { ChannelChoice.address(for: $0, in: contact) } ?? ""
            let body = channel == .sms || channel == .whatsapp ? waiting.shortBody : waiting.longBody
            try await store.resolve(
                waiting.id, channel: channel, recipient: address, body: body,
                sendAt: channel.map { quietHours.sendTime(for: now, urgent: waiting.urgent, channel: $0) }, on: connection
            )
        }
    }

    private func notifyStaff(
        _ kind: NotificationTemplates.Kind, to recipients: [(String, Layar_V1_Audience)], event: InboundEvent,
        referralID: String, extra: [String: String], now: Date, on connection: PostgresConnection
    ) async throws {
        let applicant = try await store.applicant(referralID, on: connection)
        var values = extra
        values["code"] = applicant.trackingCode ?? referralID
        values["ppks"] = PPKSKind.all[applicant.ppksKind]?.name ?? applicant.ppksKind
        values["kecamatan"] = BalanganRegions.kecamatan[applicant.kecamatanCode] ?? applicant.kecamatanCode
        values["priority"] = applicant.urgent ? "tinggi" : "biasa"
        for (recipient, audience) in recipients where !recipient.isEmpty {
            let planned = NotificationStore.Planned(
                referralID: referralID, eventID: event.id, eventType: event.type, kind: kind, audience: audience,
                shortBody: NotificationTemplates.render(kind, .short, values),
                longBody: NotificationTemplates.render(kind, .long, values), urgent: true, requiredNotice: false
            )
            try await store.record(planned, channel: .inbox, recipient: recipient, status: .sent, sendAt: nil, now: now, on: connection)
        }
    }
}
