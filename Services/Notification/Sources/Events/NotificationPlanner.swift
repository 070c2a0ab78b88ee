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
    /// The public portal's address ("" when not configured): the survey invitation links to it.
    var portalURL = ""

    let eventTypes: Set<String> = [
        Layar_V1_ApplicantContactRecorded.eventType, Layar_V1_ReferralSubmitted.eventType,
        Layar_V1_ReferralWithdrawn.eventType, Layar_V1_ReferralInformationRequested.eventType,
        Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralRejected.eventType,
        Layar_V1_CaseAssigned.eventType, Layar_V1_CaseCompleted.eventType,
        Layar_V1_SurveyInvitationCreated.eventType, Layar_V1_ReferralQueued.eventType,
        Layar_V1_RejectionProposed.eventType, Layar_V1_CaseTransitioned.eventType,
        Layar_V1_CaseDeadlineMissed.eventType, Layar_V1_ReferralDocumentsAdded.eventType,
        Layar_V1_RegistryProposalRaised.eventType, Layar_V1_LinkedSubmissionReceived.eventType,
        Layar_V1_DuplicateSubmitted.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let now = store.clock.now
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
        case Layar_V1_LinkedSubmissionReceived.eventType:
            // Acknowledged like any new referral, under the submission's own code and contact.
            (referralID, kind) = (try event.decode(Layar_V1_LinkedSubmissionReceived.self).referralID, .submitted)
        case Layar_V1_DuplicateSubmitted.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_DuplicateSubmitted.self).referralID, .duplicateSubmitted)
        case Layar_V1_ReferralWithdrawn.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_ReferralWithdrawn.self).referralID, .withdrawn)
        case Layar_V1_ReferralInformationRequested.eventType:
            let requested = try event.decode(Layar_V1_ReferralInformationRequested.self)
            let names = requested.missingDocuments.map(\.displayName)
            values["documents"] = names.isEmpty ? "dokumen tambahan" : names.joined(separator: " atau ")
            (referralID, kind) = (requested.referralID, .informationRequested)
        case Layar_V1_ReferralDocumentsAdded.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_ReferralDocumentsAdded.self).referralID, .documentsAdded)
        case Layar_V1_RegistryProposalRaised.eventType:
            let proposal = try event.decode(Layar_V1_RegistryProposalRaised.self)
            try await notifyStaff(
                .registryProposalForVerifier, to: [("role:verifier", .verifier)], event: event, referralID: proposal.referralID,
                extra: ["desa": BalanganRegions.desa[proposal.desaCode] ?? proposal.desaCode], now: now, on: connection
            )
            (referralID, kind) = (proposal.referralID, .registryProposal)
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
        case Layar_V1_CaseTransitioned.eventType:
            let transitioned = try event.decode(Layar_V1_CaseTransitioned.self)
            try await notifyAboutOffer(transitioned, event: event, now: now, on: connection)
            guard transitioned.transition.type == .admitted else { return }
            (referralID, kind) = (transitioned.referralID, .admitted)
        case Layar_V1_CaseDeadlineMissed.eventType:
            let missed = try event.decode(Layar_V1_CaseDeadlineMissed.self)
            let deadline = switch missed.deadline {
            case .assignment: "penetapan pendamping"
            case .assessment: "asesmen"
            default: "jawaban lembaga \(missed.institutionCode)"
            }
            try await notifyStaff(
                .deadlineForSupervisor, to: [("role:supervisor", .supervisor)], event: event, referralID: missed.referralID,
                extra: ["deadline": deadline], now: now, on: connection
            )
            return
        case Layar_V1_CaseCompleted.eventType:
            (referralID, kind) = (try event.decode(Layar_V1_CaseCompleted.self).referralID, .completed)
        case Layar_V1_SurveyInvitationCreated.eventType:
            let invited = try event.decode(Layar_V1_SurveyInvitationCreated.self)
            values["surveyCode"] = invited.code
            if !portalURL.isEmpty { values["surveyLink"] = "\(portalURL)/survei?kode=\(invited.code)" }
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
        let candidates = ChannelChoice.candidates(
            for: contact, requiredNotice: planned.requiredNotice, surveyInvitation: kind == .surveyInvited
        )
        guard let channel = candidates.first, let address = ChannelChoice.address(for: channel, in: contact) else {
            try await store.record(planned, channel: .unspecified, recipient: "", status: .suppressed, sendAt: nil, now: now, on: connection)
            return
        }
        try await store.record(
            planned, channel: channel, recipient: address, status: .pending,
            sendAt: quietHours.sendTime(for: now, urgent: planned.urgent, channel: channel), now: now, on: connection
        )
    }

    /// Decisions against the applicant, confirmations of a withdrawal and word of another
    /// submission for the same person are told even to those who asked not to be contacted: each
    /// is how the applicant learns that someone acted on their referral.
    static let requiredNotices: Set<NotificationTemplates.Kind> = [.rejected, .withdrawn, .duplicateSubmitted]

    private func resolveWaiting(_ referralID: String, now: Date, on connection: PostgresConnection) async throws {
        let applicant = try await store.applicant(referralID, on: connection)
        guard let contact = applicant.contact else { return }
        for waiting in try await store.waitingForContact(referralID, on: connection) {
            let channel = ChannelChoice.candidates(
                for: contact, requiredNotice: waiting.requiredNotice, surveyInvitation: waiting.surveyInvitation
            ).first
            let address = channel.flatMap { ChannelChoice.address(for: $0, in: contact) } ?? ""
            let body = channel == .sms || channel == .whatsapp ? waiting.shortBody : waiting.longBody
            try await store.resolve(
                waiting.id, channel: channel, recipient: address, body: body,
                sendAt: channel.map { quietHours.sendTime(for: now, urgent: waiting.urgent, channel: $0) }, on: connection
            )
        }
    }

    /// Offer steps: the partner agency is told of new and withdrawn offers (in its inbox; the offer
    /// itself travels on its own topic), the case worker of the agency's answer.
    private func notifyAboutOffer(
        _ transitioned: Layar_V1_CaseTransitioned, event: InboundEvent, now: Date, on connection: PostgresConnection
    ) async throws {
        let partner = [("partner:\(transitioned.institutionCode)", Layar_V1_Audience.partnerAgency)]
        let worker = [(transitioned.caseWorkerID, Layar_V1_Audience.caseWorker)]
        var values = ["letter": transitioned.letterNumber, "institution": transitioned.institutionCode]
        func tell(_ kind: NotificationTemplates.Kind, _ recipients: [(String, Layar_V1_Audience)]) async throws {
            try await notifyStaff(
                kind, to: recipients, event: event, referralID: transitioned.referralID, extra: values, now: now, on: connection
            )
        }
        switch transitioned.transition.type {
        case .offered:
            try await tell(.offerForPartner, partner)
        case .revoked:
            values["why"] = "ditarik oleh Dinas Sosial"
            try await tell(.offerWithdrawnForPartner, partner)
        case .expired:
            values["why"] = "kedaluwarsa karena belum dijawab"
            try await tell(.offerWithdrawnForPartner, partner)
            values["answer"] = "tidak menjawab sampai batas waktu"
            values["next"] = "Pilih lembaga lain."
            try await tell(.offerAnsweredForWorker, worker)
        case .accepted:
            values["answer"] = "menerima"
            values["next"] = "Catat tanggal masuk saat orang yang dirujuk tiba."
            try await tell(.offerAnsweredForWorker, worker)
        case .declined:
            // The ledger reason is "CODE" or "CODE: note"; the note stays in the case.
            let code = String(transitioned.transition.reason.prefix { $0 != ":" })
            values["answer"] = "menolak (\(Self.declineReasons[code] ?? "alasan lain"))"
            values["next"] = "Pilih lembaga lain."
            try await tell(.offerAnsweredForWorker, worker)
        default:
            return
        }
    }

    static let declineReasons = [
        "NO_CAPACITY": "tidak ada tempat", "NOT_ELIGIBLE": "tidak memenuhi syarat", "CANNOT_CONTACT": "tidak dapat dihubungi",
        "OTHER": "alasan lain",
    ]

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
