import LayarPostgres
import LayarRuntime
import LayarSchema

/// Offer steps: the partner agency is told of new and withdrawn offers (in its inbox; the offer
/// itself travels on its own topic), the case worker of the agency's answer.
struct OfferMessages {
    let staff: StaffMessages

    func tell(_ transitioned: Layar_V1_CaseTransitioned, event: InboundEvent, on connection: PostgresConnection) async throws {
        let partner = [InboxRecipient.partner(institutionCode: transitioned.institutionCode)]
        let worker = [InboxRecipient.caseWorker(id: transitioned.caseWorkerID)]
        var values = ["letter": transitioned.letterNumber, "institution": transitioned.institutionCode]
        func tell(_ kind: NotificationTemplates.Kind, _ recipients: [InboxRecipient]) async throws {
            try await staff.tell(kind, recipients, about: transitioned.referralID, values: values, event: event, on: connection)
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
            // The institution's note stays in the case; the worker hears the reason.
            values["answer"] = "menolak (\(Self.declineReason(transitioned.transition.declineReason)))"
            values["next"] = "Pilih lembaga lain."
            try await tell(.offerAnsweredForWorker, worker)
        default:
            return
        }
    }

    static func declineReason(_ reason: Layar_V1_DeclineReason) -> String {
        switch reason {
        case .noCapacity: "tidak ada tempat"
        case .notEligible: "tidak memenuhi syarat"
        case .cannotContact: "tidak dapat dihubungi"
        default: "alasan lain"
        }
    }
}
