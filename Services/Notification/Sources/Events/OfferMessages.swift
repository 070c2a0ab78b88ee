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
}
