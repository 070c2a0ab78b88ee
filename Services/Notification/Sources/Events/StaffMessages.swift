import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Puts a message in staff and partner inboxes: delivered at once (the inbox is the channel),
/// naming the referral by its tracking code, its PPKS kind, kecamatan and priority. A message
/// about a referral none of whose intake events has reached this service yet waits, with
/// placeholders for those facts, until one does (``factsArrived``): staff never see a bare id.
struct StaffMessages {
    let store: NotificationStore

    func tell(
        _ kind: NotificationTemplates.Kind, _ recipients: [InboxRecipient], about referralID: String, values extra: [String: String] = [:],
        kecamatanCode: String? = nil, event: InboundEvent, on connection: PostgresConnection
    ) async throws {
        let applicant = try await store.applicant(referralID, on: connection)
        let known = applicant.trackingCode != nil  // intake's submission or contact was applied
        var values = extra
        for (fact, value) in Self.facts(of: applicant) {
            values[fact.rawValue] = known ? value : fact.token
        }
        // An event that names the kecamatan itself is believed first.
        if let kecamatan = kecamatanCode, !kecamatan.isEmpty {
            values[FactPlaceholder.kecamatan.rawValue] = BalanganRegions.kecamatan[kecamatan] ?? kecamatan
        }
        for recipient in recipients where !recipient.address.isEmpty {
            let planned = NotificationStore.Planned(
                referralID: referralID, eventID: event.id, eventType: event.type, kind: kind, audience: recipient.audience,
                shortBody: NotificationTemplates.render(kind, .short, values),
                longBody: NotificationTemplates.render(kind, .long, values), urgent: true, requiredNotice: false
            )
            try await store.record(
                planned, channel: .inbox, recipient: recipient.address, status: known ? .sent : .pending, sendAt: nil,
                now: store.clock.now, on: connection
            )
        }
    }

    /// Intake's submission or the applicant's contact arrived: the inbox messages waiting for the
    /// referral's facts get them and are delivered.
    /// Runs for every submission and contact, so the facts are read only when a message waits.
    func factsArrived(_ referralID: String, on connection: PostgresConnection) async throws {
        let waiting = try await store.inboxMessagesWaitingForFacts(of: referralID, on: connection)
        guard !waiting.isEmpty else { return }
        let facts = Self.facts(of: try await store.applicant(referralID, on: connection))
        for var message in waiting {
            message.body = FactPlaceholder.fill(message.body, with: facts)
            message.shortBody = FactPlaceholder.fill(message.shortBody, with: facts)
            message.longBody = FactPlaceholder.fill(message.longBody, with: facts)
            try await store.deliverInboxMessage(message, on: connection)
        }
    }

    /// What staff messages say of a referral, as this store knows it.
    static func facts(of applicant: NotificationStore.Applicant) -> [FactPlaceholder: String] {
        [
            .code: applicant.trackingCode ?? "",
            .ppks: PPKSKind.all[applicant.ppksKind]?.name ?? applicant.ppksKind,
            .kecamatan: BalanganRegions.kecamatan[applicant.kecamatanCode] ?? applicant.kecamatanCode,
            .priority: applicant.urgent ? "tinggi" : "biasa",
        ]
    }
}
