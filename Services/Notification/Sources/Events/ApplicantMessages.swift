import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Plans the applicant's message for an event: rendered from its template, to the first channel
/// the applicant's contact and consent allow, in the quiet hours' next window; or waiting for the
/// contact, which travels on its own topic and may come later.
struct ApplicantMessages {
    let store: NotificationStore
    let quietHours: QuietHours
    /// Non-urgent SMS and WhatsApp wait this long, so that the steps of the next minutes go with
    /// them as one message (``Dispatcher`` joins a referral's pending ones; zero: each at once).
    var coalescing: Duration = .zero

    /// Decisions against the applicant, confirmations of a withdrawal and word of another
    /// submission for the same person are told even to those who asked not to be contacted: each
    /// is how the applicant learns that someone acted on their referral.
    static let requiredNotices: Set<NotificationTemplates.Kind> = [.rejected, .withdrawn, .duplicateSubmitted]

    func tell(
        _ kind: NotificationTemplates.Kind, about referralID: String, values: [String: String] = [:], event: InboundEvent,
        on connection: PostgresConnection
    ) async throws {
        let now = store.clock.now
        let applicant = try await store.applicant(referralID, on: connection)
        var values = values
        // Intake's events and the other services' travel on different topics, so a step can come
        // before the contact and code: such a message waits with a placeholder, filled in when
        // they arrive (``contactArrived``).
        values["code"] = applicant.trackingCode ?? FactPlaceholder.code.token
        let planned = NotificationStore.Planned(
            referralID: referralID, eventID: event.id, eventType: event.type, kind: kind, audience: .applicant,
            shortBody: NotificationTemplates.render(kind, .short, values),
            longBody: NotificationTemplates.render(kind, .long, values),
            urgent: applicant.urgent, requiredNotice: Self.requiredNotices.contains(kind)
        )
        guard let contact = applicant.contact else {
            try await store.record(planned, channel: .unspecified, recipient: "", status: .pending, sendAt: nil, now: now, on: connection)
            return
        }
        let candidates = ChannelChoice.candidates(for: contact, requiredNotice: planned.requiredNotice, surveyInvitation: kind == .surveyInvited)
        guard let channel = candidates.first, let address = ChannelChoice.address(for: channel, in: contact) else {
            try await store.record(planned, channel: .unspecified, recipient: "", status: .suppressed, sendAt: nil, now: now, on: connection)
            return
        }
        try await store.record(
            planned, channel: channel, recipient: address, status: .pending,
            sendAt: sendTime(now, urgent: planned.urgent, channel: channel), now: now, on: connection
        )
    }

    /// When a message planned `now` goes: after the quiet hours, and for a non-urgent SMS or
    /// WhatsApp not before the coalescing window has passed.
    func sendTime(_ now: Date, urgent: Bool, channel: Layar_V1_DeliveryChannel) -> Date {
        let quiet = quietHours.sendTime(for: now, urgent: urgent, channel: channel)
        guard !urgent, channel == .sms || channel == .whatsapp, coalescing > .zero else { return quiet }
        return max(quiet, now.addingTimeInterval(coalescing.inSeconds))
    }

    /// The contact (and with it the tracking code) arrived: the messages waiting for it get the
    /// code and their channel, or are suppressed.
    func contactArrived(_ referralID: String, on connection: PostgresConnection) async throws {
        let now = store.clock.now
        let applicant = try await store.applicant(referralID, on: connection)
        guard let contact = applicant.contact else { return }
        let code = applicant.trackingCode.flatMap { $0.isEmpty ? nil : $0 } ?? "Anda"
        for waiting in try await store.waitingForContact(referralID, on: connection) {
            let channel = ChannelChoice.candidates(
                for: contact, requiredNotice: waiting.requiredNotice, surveyInvitation: waiting.surveyInvitation
            ).first
            let address = channel.flatMap { ChannelChoice.address(for: $0, in: contact) } ?? ""
            try await store.resolve(
                waiting, referralID: referralID, channel: channel, recipient: address,
                shortBody: FactPlaceholder.fill(waiting.shortBody, with: [.code: code]),
                longBody: FactPlaceholder.fill(waiting.longBody, with: [.code: code]),
                sendAt: channel.map { sendTime(now, urgent: waiting.urgent, channel: $0) }, on: connection
            )
        }
    }
}
