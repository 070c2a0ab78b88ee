import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with notification's SQL: applicants' contacts, the messages with their delivery
/// state (one per event, audience and channel), claiming due messages, recording outcomes.
struct NotificationStore: Sendable {
    let pool: PostgresPool
    let cipher: PersonalDataCipher
    /// When messages are planned, claimed, sent and read (and the outbox's stamps).
    let clock: LayarClock
    var outbox: Outbox { Outbox(cipher: cipher, clock: clock) }
    /// The messages to send, by id: the runtime's one outbound queue (the dispatcher drains it).
    let deliveries = DeliveryQueue<Entities.Message>()

    // MARK: - Applicants

    struct Applicant: Sendable {
        var trackingCode: String?
        var contact: ChannelChoice.Contact?
        var urgent: Bool
        var ppksKind: String
        var kecamatanCode: String
    }

    func saveContact(_ contact: Layar_V1_ApplicantContactRecorded, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO applicants (referral_id, tracking_code, phone, email, preferred_channel, notification_consent, survey_consent,
                phone_index)
            VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (referral_id) DO UPDATE SET tracking_code = EXCLUDED.tracking_code, phone = EXCLUDED.phone,
                email = EXCLUDED.email, preferred_channel = EXCLUDED.preferred_channel,
                notification_consent = EXCLUDED.notification_consent, survey_consent = EXCLUDED.survey_consent,
                phone_index = EXCLUDED.phone_index
            """,
            [
                contact.referralID, contact.trackingCode, cipher.seal(contact.phone, .applicantPhone),
                cipher.seal(contact.email, .applicantEmail), contact.preferredChannel.rawValue,
                // An event from before the purposes travelled: the earlier behaviour.
                contact.consentPurposes.isEmpty || contact.consentPurposes.contains(.notification),
                contact.consentPurposes.isEmpty || contact.consentPurposes.contains(.survey),
                contact.phone.isEmpty ? [] : phoneIndex(contact.phone),
            ]
        )
    }

    func saveSubmission(_ submitted: Layar_V1_ReferralSubmitted, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO applicants (referral_id, tracking_code, urgent, ppks_kind, kecamatan_code) VALUES ($1::uuid, $2, $3, $4, $5)
            ON CONFLICT (referral_id) DO UPDATE SET tracking_code = EXCLUDED.tracking_code, urgent = EXCLUDED.urgent,
                ppks_kind = EXCLUDED.ppks_kind, kecamatan_code = EXCLUDED.kecamatan_code
            """,
            [
                submitted.referralID, submitted.trackingCode, submitted.urgency == .urgent || submitted.urgency == .emergency,
                submitted.ppksKind, submitted.kecamatanCode,
            ]
        )
    }

    func applicant(_ referralID: String, on connection: PostgresConnection) async throws -> Applicant {
        guard let row = try await connection.query(
            """
            SELECT tracking_code, phone, email, preferred_channel, urgent, ppks_kind, kecamatan_code,
                notification_consent, survey_consent
            FROM applicants WHERE referral_id = $1::uuid
            """, [referralID]
        ).first else { return Applicant(trackingCode: nil, contact: nil, urgent: false, ppksKind: "", kecamatanCode: "") }
        let code = try row.decode(String.self, "tracking_code")
        let contact = try row.decode(Int?.self, "preferred_channel").map { preferred in
            ChannelChoice.Contact(
                phone: try row.decode([UInt8]?.self, "phone").map { try cipher.openString($0, .applicantPhone) } ?? "",
                email: try row.decode([UInt8]?.self, "email").map { try cipher.openString($0, .applicantEmail) } ?? "",
                preferred: Layar_V1_ContactChannel(rawValue: preferred) ?? .unspecified,
                notificationConsent: try row.decode(Bool.self, "notification_consent"),
                surveyConsent: try row.decode(Bool.self, "survey_consent")
            )
        }
        return Applicant(
            trackingCode: code.isEmpty ? nil : code, contact: contact, urgent: try row.decode(Bool.self, "urgent"),
            ppksKind: try row.decode(String.self, "ppks_kind"), kecamatanCode: try row.decode(String.self, "kecamatan_code")
        )
    }

    // MARK: - Recording

    /// A message to record; `channel` nil means the applicant's contact is not known yet.
    struct Planned: Sendable {
        var referralID: String
        var eventID: String
        var eventType: String
        var kind: NotificationTemplates.Kind
        var audience: Layar_V1_Audience
        var shortBody: String
        var longBody: String
        var urgent: Bool
        var requiredNotice: Bool
    }

    /// Records `planned` for its channel: an inbox message is delivered at once; a message
    /// without a way to reach the applicant is suppressed; otherwise it waits until `sendAt`.
    /// A redelivered event finds its message already there and adds nothing.
    func record(
        _ planned: Planned, channel: Layar_V1_DeliveryChannel, recipient: String, status: Layar_V1_DeliveryStatus,
        sendAt: Date?, now: Date, on connection: PostgresConnection
    ) async throws {
        let body = channel == .sms || channel == .whatsapp ? planned.shortBody : planned.longBody
        let address = recipientColumns(recipient, channel: channel)
        let id = MessageID()
        let inserted = try await connection.query(
            """
            INSERT INTO messages (id, referral_id, event_id, event_type, audience, channel, body, status, created_at, kind,
                body_short, body_long, recipient, urgent, required_notice, next_attempt_at, sent_at, recipient_sealed,
                survey_invitation)
            VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (event_id, audience, channel) DO NOTHING
            """,
            [
                id, planned.referralID, planned.eventID, planned.eventType, planned.audience.rawValue, channel.rawValue,
                body, status.rawValue, now, planned.kind.rawValue, planned.shortBody, planned.longBody, address.plain,
                planned.urgent, planned.requiredNotice, sendAt, status == .sent ? now : nil, address.sealed,
                planned.kind == .surveyInvited,
            ]
        ).affectedRows == 1
        if inserted, status == .pending, let sendAt {
            try await queue(id, referralID: planned.referralID, audience: planned.audience, channel: channel,
                            urgent: planned.urgent, at: sendAt, on: connection)
        }
    }

    /// Queues a pending message for its gateway. An applicant's SMS or WhatsApp messages of one
    /// referral share a batch: the dispatcher may join them into one.
    private func queue(
        _ id: MessageID, referralID: String, audience: Layar_V1_Audience, channel: Layar_V1_DeliveryChannel, urgent: Bool,
        at time: Date, on connection: PostgresConnection
    ) async throws {
        guard Self.sentByGateway.contains(channel) else { return }
        let batch = audience == .applicant && (channel == .sms || channel == .whatsapp) ? "\(referralID) \(channel.rawValue)" : ""
        try await deliveries.enqueue(id, at: time, batchKey: batch, priority: urgent ? 1 : 0, on: connection)
    }

    /// The channels the dispatcher sends on (an inbox message is delivered when recorded).
    static let sentByGateway: Set<Layar_V1_DeliveryChannel> = [.sms, .whatsapp, .email, .log]

    /// Applicant messages recorded before the contact arrived (channel not chosen yet).
    struct Waiting: Sendable {
        var id: MessageID
        var shortBody: String
        var longBody: String
        var urgent: Bool
        var requiredNotice: Bool
        var surveyInvitation: Bool
        var createdAt: Date
    }

    func waitingForContact(_ referralID: String, on connection: PostgresConnection) async throws -> [Waiting] {
        try await connection.query(
            """
            SELECT id, body_short, body_long, urgent, required_notice, survey_invitation, created_at FROM messages
            WHERE referral_id = $1::uuid AND audience = $2 AND channel = 0 AND status = $3 FOR UPDATE
            """,
            [referralID, Layar_V1_Audience.applicant.rawValue, Layar_V1_DeliveryStatus.pending.rawValue]
        ).map { row in
            Waiting(
                id: try row.decode(MessageID.self, "id"), shortBody: try row.decode(String.self, "body_short"),
                longBody: try row.decode(String.self, "body_long"), urgent: try row.decode(Bool.self, "urgent"),
                requiredNotice: try row.decode(Bool.self, "required_notice"),
                surveyInvitation: try row.decode(Bool.self, "survey_invitation"), createdAt: try row.decode(Date.self, "created_at")
            )
        }
    }

    /// Gives a waiting message its final text and its channel (or suppresses it when there is none).
    func resolve(
        _ waiting: Waiting, referralID: String, channel: Layar_V1_DeliveryChannel?, recipient: String, shortBody: String,
        longBody: String, sendAt: Date?, on connection: PostgresConnection
    ) async throws {
        let id = waiting.id
        let address = recipientColumns(recipient, channel: channel)
        let body = channel == .sms || channel == .whatsapp ? shortBody : longBody
        try await connection.query(
            """
            UPDATE messages SET channel = $2, recipient = $3, body = $4, next_attempt_at = $5, status = $6,
                recipient_sealed = $7, body_short = $8, body_long = $9
            WHERE id = $1
            """,
            [
                id, (channel ?? .unspecified).rawValue, address.plain, body, sendAt,
                (channel == nil ? Layar_V1_DeliveryStatus.suppressed : .pending).rawValue, address.sealed, shortBody, longBody,
            ]
        )
        if let channel, let sendAt {
            try await queue(id, referralID: referralID, audience: .applicant, channel: channel, urgent: waiting.urgent, at: sendAt, on: connection)
        }
    }

    // MARK: - Sending

    struct Due: Sendable {
        var id: MessageID
        var referralID: String
        var eventID: String
        var eventType: String
        var audience: Layar_V1_Audience
        var channel: Layar_V1_DeliveryChannel
        var recipient: String
        var body: String
        var shortBody: String
        var longBody: String
        var urgent: Bool
        var requiredNotice: Bool
        var attempts: Int
        var kind: String
        var createdAt: Date
    }

    /// How long until the next queued message falls due (its next attempt, or the end of the
    /// claim on it); nil when none waits.
    func nextDue(after now: Date) async throws -> Duration? {
        try await deliveries.nextDue(after: now, on: pool)
    }

    /// Claims due messages for `lease`, in a short transaction of its own: sending happens after
    /// it, never inside one. A crashed sender's claim lapses and the message is tried again.
    ///
    /// With `coalescing`, each claimed applicant SMS or WhatsApp brings along the same referral's
    /// other pending ones on that channel due within the window: they go as one message. A queued
    /// message that is no longer pending (suppressed by an opt-out or an erasure) leaves the queue.
    func claimDue(limit: Int, now: Date, lease: Duration, coalescing: Duration = .zero) async throws -> [Due] {
        try await pool.withTransaction { connection in
            var claims = try await deliveries.claim(limit: limit, now: now, lease: lease, on: connection)
            if coalescing > .zero {
                let batches = Set(claims.map(\.batchKey).filter { !$0.isEmpty })
                for batch in batches.sorted() {
                    claims += try await deliveries.claimBatch(
                        batch, dueBy: now.addingTimeInterval(coalescing.inSeconds), besides: claims.map(\.id), now: now, lease: lease,
                        on: connection
                    )
                }
            }
            guard !claims.isEmpty else { return [] }
            let due = try await connection.query(
                """
                UPDATE messages SET attempts = attempts + 1 WHERE id = ANY ($1::uuid[]) AND status = 1
                RETURNING id, referral_id, event_id, event_type, audience, channel, recipient, recipient_sealed, body,
                    body_short, body_long, urgent, required_notice, attempts, kind, created_at
                """,
                [PostgresTextArray(claims.map(\.id.description))]
            ).map(due)
            let pending = Set(due.map(\.id))
            try await deliveries.finish(claims.map(\.id).filter { !pending.contains($0) }, on: connection)
            return due  // The dispatcher orders each referral's messages as they were planned.
        }
    }

    /// A `messages` row as a ``Due`` (the columns `claimDue` returns).
    func due(_ row: PostgresRow) throws -> Due {
        Due(
            id: try row.decode(MessageID.self, "id"), referralID: try row.decode(String.self, "referral_id"),
            eventID: try row.decode(String.self, "event_id"), eventType: try row.decode(String.self, "event_type"),
            audience: Layar_V1_Audience(rawValue: try row.decode(Int.self, "audience")) ?? .unspecified,
            channel: Layar_V1_DeliveryChannel(rawValue: try row.decode(Int.self, "channel")) ?? .unspecified,
            recipient: try recipient(of: row), body: try row.decode(String.self, "body"),
            shortBody: try row.decode(String.self, "body_short"), longBody: try row.decode(String.self, "body_long"),
            urgent: try row.decode(Bool.self, "urgent"), requiredNotice: try row.decode(Bool.self, "required_notice"),
            attempts: try row.decode(Int.self, "attempts"), kind: try row.decode(String.self, "kind"),
            createdAt: try row.decode(Date.self, "created_at")
        )
    }

    /// A message its provider accepted, with the provider's id for it.
    struct Accepted: Sendable {
        var due: Due
        var providerID: String
        /// False for the messages that went inside another (coalesced): one send is announced
        /// once, so the monitoring report counts what the office pays for.
        var announced = true
    }

    /// The providers accepted these messages: records and announces them in one transaction (one
    /// referral's messages of a dispatch round: one commit instead of one per message), in order.
    func sent(_ accepted: [Accepted], now: Date) async throws {
        guard !accepted.isEmpty else { return }
        try await pool.withTransaction { connection in
            for message in accepted {
                try await connection.query(
                    """
                    UPDATE messages SET status = $2, sent_at = $3, provider_id = $4, last_error = ''
                    WHERE id = $1
                    """, [message.due.id, Layar_V1_DeliveryStatus.sent.rawValue, now, message.providerID])
                if message.announced { try await announce(message.due, outcome: .sent, reason: "", now: now, on: connection) }
            }
            try await deliveries.finish(accepted.map(\.due.id), on: connection)
        }
    }

    /// A retriable failure: try again at `retryAt`.
    func retry(_ due: Due, error: String, at retryAt: Date) async throws {
        try await pool.withTransaction { connection in
            try await connection.query(
                "UPDATE messages SET last_error = $2, next_attempt_at = $3 WHERE id = $1", [due.id, error, retryAt]
            )
            try await deliveries.retry(due.id, error: error, at: retryAt, on: connection)
        }
    }

    /// Gives up on this channel: a dead letter with its reason, announced; `fallback` (another
    /// channel of the same applicant) gets a fresh message in the same transaction.
    func deadLetter(
        _ due: Due, error: String, fallback: (channel: Layar_V1_DeliveryChannel, recipient: String)?, now: Date
    ) async throws {
        try await pool.withTransaction { try await deadLetter(due, error: error, fallback: fallback, now: now, on: $0) }
    }

    func deadLetter(
        _ due: Due, error: String, fallback: (channel: Layar_V1_DeliveryChannel, recipient: String)?, now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            "UPDATE messages SET status = $2, last_error = $3 WHERE id = $1",
            [due.id, Layar_V1_DeliveryStatus.failed.rawValue, error]
        )
        try await deliveries.finish([due.id], on: connection)
        try await announce(due, outcome: .failed, reason: error, now: now, on: connection)
        if let fallback {
            let planned = Planned(
                referralID: due.referralID, eventID: due.eventID, eventType: due.eventType,
                kind: NotificationTemplates.Kind(rawValue: due.kind) ?? .submitted,
                audience: due.audience, shortBody: due.shortBody, longBody: due.longBody, urgent: due.urgent,
                requiredNotice: due.requiredNotice
            )
            try await record(
                planned, channel: fallback.channel, recipient: fallback.recipient, status: .pending, sendAt: now, now: now,
                on: connection
            )
        }
    }

    /// The applicant's next channel after the one that failed, if any. Channels to the same
    /// address are skipped: a permanent refusal is most often the address itself (a number that
    /// does not exist fails on WhatsApp as it did on SMS).
    func nextChannel(after due: Due, on connection: PostgresConnection) async throws -> (channel: Layar_V1_DeliveryChannel, recipient: String)? {
        guard due.audience == .applicant, let contact = try await applicant(due.referralID, on: connection).contact else { return nil }
        let candidates = ChannelChoice.candidates(for: contact, requiredNotice: due.requiredNotice)
        guard let index = candidates.firstIndex(of: due.channel) else { return nil }
        for next in candidates[(index + 1)...] {
            if let address = ChannelChoice.address(for: next, in: contact), address != due.recipient {
                return (next, address)
            }
        }
        return nil
    }

    private func announce(
        _ due: Due, outcome: Layar_V1_NotificationOutcome, reason: String, now: Date, on connection: PostgresConnection
    ) async throws {
        try await outbox.append(Layar_V1_NotificationDelivered.with {
            $0.referralID = due.referralID
            $0.messageID = due.id.description
            $0.eventType = due.eventType
            $0.audience = Int32(due.audience.rawValue)
            $0.channel = Int32(due.channel.rawValue)
            $0.outcome = outcome
            $0.attempts = Int32(due.attempts)
            $0.reason = reason
            $0.at = Google_Protobuf_Timestamp(date: now)
        }, on: connection, at: now)
    }

    // MARK: - Reading

    func messages(for referralID: ReferralID) async throws -> [Layar_V1_NotificationMessage] {
        try await pool.query(
            "SELECT * FROM messages WHERE referral_id = $1 ORDER BY created_at, id", [referralID]
        ).map(message)
    }

    func deadLetters(limit: Int) async throws -> [Layar_V1_NotificationMessage] {
        try await pool.query(
            "SELECT * FROM messages WHERE status = $1 ORDER BY created_at DESC, id LIMIT $2",
            [Layar_V1_DeliveryStatus.failed.rawValue, limit]
        ).map(message)
    }

    func inbox(_ recipient: String, unreadOnly: Bool) async throws -> [Layar_V1_NotificationMessage] {
        try await pool.query(
            """
            SELECT * FROM messages WHERE channel = 4 AND recipient = $1 AND status = $3 AND (NOT $2 OR read_at IS NULL)
            ORDER BY created_at DESC, id LIMIT 500
            """, [recipient, unreadOnly, Layar_V1_DeliveryStatus.sent.rawValue]
        ).map(message)
    }

    /// An inbox message that waits for its referral's facts, with its texts.
    struct WaitingInboxMessage: Sendable {
        var id: MessageID
        var body: String
        var shortBody: String
        var longBody: String
    }

    /// The inbox messages of `referralID` that wait for its facts, locked until they are delivered.
    func inboxMessagesWaitingForFacts(of referralID: String, on connection: PostgresConnection) async throws -> [WaitingInboxMessage] {
        try await connection.query(
            "SELECT id, body, body_short, body_long FROM messages WHERE referral_id = $1::uuid AND channel = 4 AND status = $2 FOR UPDATE",
            [referralID, Layar_V1_DeliveryStatus.pending.rawValue]
        ).map { row in
            WaitingInboxMessage(
                id: try row.decode(MessageID.self, "id"), body: try row.decode(String.self, "body"),
                shortBody: try row.decode(String.self, "body_short"), longBody: try row.decode(String.self, "body_long")
            )
        }
    }

    /// Delivers a waiting inbox message with its texts filled in.
    func deliverInboxMessage(_ message: WaitingInboxMessage, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE messages SET body = $2, body_short = $3, body_long = $4, status = $5, sent_at = $6 WHERE id = $1",
            [message.id, message.body, message.shortBody, message.longBody, Layar_V1_DeliveryStatus.sent.rawValue, clock.now]
        )
    }

    func markRead(_ recipient: String, ids: [MessageID]) async throws -> Int {
        try await pool.query(
            """
            UPDATE messages SET read_at = $3
            WHERE channel = 4 AND recipient = $1 AND id = ANY ($2::uuid[]) AND read_at IS NULL
            """, [recipient, PostgresTextArray(ids.map(\.description)), clock.now]
        ).affectedRows
    }

    func message(_ row: PostgresRow) throws -> Layar_V1_NotificationMessage {
        let channel = Layar_V1_DeliveryChannel(rawValue: try row.decode(Int.self, "channel")) ?? .unspecified
        let recipient = try recipient(of: row)
        return try Layar_V1_NotificationMessage.with {
            $0.id = try row.decode(String.self, "id")
            $0.referralID = try row.decode(String.self, "referral_id")
            $0.eventID = try row.decode(String.self, "event_id")
            $0.eventType = try row.decode(String.self, "event_type")
            $0.audience = Layar_V1_Audience(rawValue: try row.decode(Int.self, "audience")) ?? .unspecified
            $0.channel = channel
            $0.body = try row.decode(String.self, "body")
            $0.status = Layar_V1_DeliveryStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
            $0.createdAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "created_at"))
            $0.recipient = channel == .inbox ? recipient : ChannelChoice.masked(recipient)
            $0.attempts = try row.decode(Int32.self, "attempts")
            if let sent = try row.decode(Date?.self, "sent_at") { $0.sentAt = Google_Protobuf_Timestamp(date: sent) }
            $0.error = try row.decode(String.self, "last_error")
            $0.read = try row.decode(Date?.self, "read_at") != nil
            $0.urgent = try row.decode(Bool.self, "urgent")
        }
    }
}
