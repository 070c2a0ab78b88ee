import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Puts a message in staff and partner inboxes: delivered at once (the inbox is the channel),
/// naming the referral by its tracking code, its PPKS kind, kecamatan and priority.
struct StaffMessages {
    let store: NotificationStore

    func tell(
        _ kind: NotificationTemplates.Kind, _ recipients: [InboxRecipient], about referralID: String, values extra: [String: String] = [:],
        kecamatanCode: String? = nil, event: InboundEvent, on connection: PostgresConnection
    ) async throws {
        let applicant = try await store.applicant(referralID, on: connection)
        var values = extra
        values["code"] = applicant.trackingCode ?? referralID
        values["ppks"] = PPKSKind.all[applicant.ppksKind]?.name ?? applicant.ppksKind
        // An event that names the kecamatan itself is believed first: verification's events may
        // arrive before intake's, whose facts this store keeps.
        let kecamatan = kecamatanCode.flatMap { $0.isEmpty ? nil : $0 } ?? applicant.kecamatanCode
        values["kecamatan"] = BalanganRegions.kecamatan[kecamatan] ?? kecamatan
        values["priority"] = applicant.urgent ? "tinggi" : "biasa"
        for recipient in recipients where !recipient.address.isEmpty {
            let planned = NotificationStore.Planned(
                referralID: referralID, eventID: event.id, eventType: event.type, kind: kind, audience: recipient.audience,
                shortBody: NotificationTemplates.render(kind, .short, values),
                longBody: NotificationTemplates.render(kind, .long, values), urgent: true, requiredNotice: false
            )
            try await store.record(
                planned, channel: .inbox, recipient: recipient.address, status: .sent, sendAt: nil, now: store.clock.now, on: connection
            )
        }
    }
}
