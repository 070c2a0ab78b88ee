import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// SQL of the two-way channels: texts received, the referrals a phone is on record for, opt-outs,
/// answers queued like any message, and what providers report of the messages they accepted.
extension NotificationStore {
    /// The referral id of answers that concern no referral (a code that did not match): the nil
    /// UUID, so that they are recorded, sent, retried and counted like every message.
    static let noReferral = "00000000-0000-0000-0000-000000000000"

    /// The blind index of an applicant's phone (E.164); no phone is stored as empty bytes.
    func phoneIndex(_ phone: String) -> [UInt8] {
        cipher.blindIndex(phone, .applicantPhone)
    }

    /// Records a text once: false when it was recorded before (the provider delivered the
    /// webhook again) and already answered.
    func recordInbound(_ message: InboundMessage, command: String, on connection: PostgresConnection) async throws -> Bool {
        let inserted = try await connection.query(
            """
            INSERT INTO inbound_messages (provider, provider_message_id, channel, phone_index, command, received_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """,
            [message.provider.rawValue, message.providerMessageID, message.channel.rawValue, phoneIndex(message.from), command, message.receivedAt]
        ).affectedRows
        if inserted == 1 { return true }
        let answered = try await connection.query(
            "SELECT answered_at FROM inbound_messages WHERE provider = $1 AND provider_message_id = $2 FOR UPDATE",
            [message.provider.rawValue, message.providerMessageID]
        ).first?.decode(Date?.self, "answered_at")
        return answered == nil
    }

    func markAnswered(_ message: InboundMessage, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE inbound_messages SET answered_at = $3 WHERE provider = $1 AND provider_message_id = $2",
            [message.provider.rawValue, message.providerMessageID, now]
        )
    }

    /// The referrals whose applicant's phone is `phone`, newest first, with their tracking codes.
    func referrals(ofPhone phone: String, on connection: PostgresConnection) async throws -> [(id: String, trackingCode: String)] {
        try await connection.query(
            """
            SELECT a.referral_id::text AS id, a.tracking_code,
                (SELECT max(m.created_at) FROM messages m WHERE m.referral_id = a.referral_id) AS last_message
            FROM applicants a WHERE a.phone_index = $1 ORDER BY last_message DESC NULLS LAST, a.referral_id LIMIT 20
            """, [phoneIndex(phone)]
        ).map { (try $0.decode(String.self, "id"), try $0.decode(String.self, "tracking_code")) }
    }

    /// The applicant asked for no more messages: their consent to notifications and surveys is
    /// withdrawn here at once (intake records the change from `ApplicantOptedOut`), messages not
    /// yet sent that the law does not require are suppressed.
    func optOut(referralIDs: [String], channel: Layar_V1_DeliveryChannel, at: Date, on connection: PostgresConnection) async throws {
        guard !referralIDs.isEmpty else { return }
        let ids = PostgresTextArray(referralIDs)
        try await connection.query(
            "UPDATE applicants SET notification_consent = false, survey_consent = false WHERE referral_id = ANY($1::uuid[])", [ids]
        )
        try await connection.query(
            """
            UPDATE messages SET status = $2, last_error = 'the applicant opted out'
            WHERE referral_id = ANY($1::uuid[]) AND audience = $3 AND status = $4 AND NOT required_notice
            """,
            [ids, Layar_V1_DeliveryStatus.suppressed.rawValue, Layar_V1_Audience.applicant.rawValue, Layar_V1_DeliveryStatus.pending.rawValue]
        )
        for id in referralIDs {
            try await outbox.append(Layar_V1_ApplicantOptedOut.with {
                $0.referralID = id
                $0.channel = channel
                $0.optedOutAt = Google_Protobuf_Timestamp(date: at)
            }, on: connection, at: clock.now)
        }
    }

    /// Whether the applicant of `referralID` was last told of a request for information (the
    /// verifier waits for an answer), so that a free text from their phone belongs to that
    /// referral. The answers to their own texts do not count: a second text still goes through.
    /// Nor does intake's acknowledgment of the submission: it travels on another topic than
    /// verification's request and may be recorded after it, yet it never ends the wait (documents
    /// added later do: they are the answer).
    func awaitsInformation(_ referralID: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            """
            SELECT event_type FROM messages
            WHERE referral_id = $1::uuid AND audience = $2 AND channel <> 4 AND event_type <> ALL ($3::text[])
            ORDER BY created_at DESC, id LIMIT 1
            """, [referralID, Layar_V1_Audience.applicant.rawValue, Self.eventsThatNeverAnswer]
        ).first?.decode(String.self, "event_type") == Layar_V1_ReferralInformationRequested.eventType
    }

    static let eventsThatNeverAnswer = PostgresTextArray([
        inboundEventType, Layar_V1_ReferralSubmitted.eventType, Layar_V1_LinkedSubmissionReceived.eventType,
    ])

    /// Passes the applicant's answer to verification.
    func forwardReply(_ text: String, referralID: String, message: InboundMessage, on connection: PostgresConnection) async throws {
        try await outbox.append(Layar_V1_ApplicantReplied.with {
            $0.referralID = referralID
            $0.channel = message.channel
            $0.text = text
            $0.receivedAt = Google_Protobuf_Timestamp(date: message.receivedAt)
        }, on: connection, at: clock.now)
    }

    /// Queues the answer to a text: sent back on the channel it came from, at once (the sender
    /// is waiting: no quiet hours), whatever the consent (they asked), once per text.
    func queueAnswer(
        to message: InboundMessage, referralID: String?, kind: NotificationTemplates.Kind, text: String, on connection: PostgresConnection
    ) async throws {
        let now = clock.now
        let planned = Planned(
            referralID: referralID ?? Self.noReferral, eventID: "inbound:\(message.provider.rawValue):\(message.providerMessageID)",
            eventType: Self.inboundEventType, kind: kind, audience: .applicant, shortBody: text, longBody: text, urgent: true,
            requiredNotice: true
        )
        try await record(planned, channel: message.channel, recipient: message.from, status: .pending, sendAt: now, now: now, on: connection)
    }

    /// The `event_type` of answers to texts (they answer no event).
    static let inboundEventType = "layar.notification.inbound-text"

    /// Whether the applicant wrote from `phone` within the last 24 hours: WhatsApp then takes a
    /// free-form text; outside that window only an approved template.
    func conversationOpen(phone: String, channel: Layar_V1_DeliveryChannel, now: Date) async throws -> Bool {
        try await pool.query(
            "SELECT 1 AS open FROM inbound_messages WHERE phone_index = $1 AND channel = $2 AND received_at > $3 LIMIT 1",
            [phoneIndex(phone), channel.rawValue, now.addingTimeInterval(-24 * 3600)]
        ).first != nil
    }

    /// Records what the provider said of a message it had accepted (of each message it carried,
    /// when several went as one). A failure after acceptance (a number that turned out not to be
    /// on WhatsApp, say) is a dead letter, and the applicant's next channel gets the message, as
    /// for a refusal at sending. Returns whether a message of ours had that provider id.
    @discardableResult
    func applyProviderStatus(_ update: ProviderStatusUpdate, channels: [Layar_V1_DeliveryChannel]) async throws -> Bool {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                "SELECT * FROM messages WHERE provider_id = $1 AND channel = ANY($2::int[]) ORDER BY created_at, id FOR UPDATE",
                [update.providerMessageID, PostgresTextArray(channels.map { String($0.rawValue) })]
            )
            for row in rows {
                let due = try due(row)
                let status = Layar_V1_DeliveryStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
                try await connection.query(
                    "UPDATE messages SET provider_status = $2, provider_status_at = $3 WHERE id = $1",
                    [due.id, update.state.rawValue, update.at]
                )
                if update.state == .failed, status == .sent {
                    let error = update.error.isEmpty ? "the provider reported the message failed" : update.error
                    try await deadLetter(due, error: error, fallback: try await nextChannel(after: due, on: connection), now: clock.now, on: connection)
                }
            }
            return !rows.isEmpty
        }
    }

    /// Gives older applicants' phones their blind index (rows saved before migration 6).
    func indexPhones(batch: Int = 500) async throws -> Int {
        var total = 0
        while true {
            let done = try await pool.withTransaction { connection in
                let rows = try await connection.query(
                    "SELECT referral_id, phone FROM applicants WHERE phone IS NOT NULL AND phone_index IS NULL LIMIT $1 FOR UPDATE SKIP LOCKED",
                    [batch]
                )
                for row in rows {
                    let phone = try cipher.openString(try row.decode([UInt8].self, "phone"), .applicantPhone)
                    try await connection.query(
                        "UPDATE applicants SET phone_index = $2 WHERE referral_id = $1",
                        [try row.decode(ReferralID.self, "referral_id"), phone.isEmpty ? [] : phoneIndex(phone)]
                    )
                }
                return rows.count
            }
            total += done
            if done < batch { return total }
        }
    }
}

extension NotificationStore {
    /// The referral of a tracking code, as intake announced it.
    func referral(trackingCode: String, on connection: PostgresConnection) async throws -> String? {
        try await connection.query(
            "SELECT referral_id::text AS id FROM applicants WHERE tracking_code = $1 LIMIT 1", [trackingCode]
        ).first?.decode(String.self, "id")
    }
}
