import Crypto
import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarRuntime
import LayarSchema
import Logging
import ServiceLifecycle

/// Sends due messages through their channel's provider, outside any database transaction:
/// claim (short transaction) → send → record (short transaction, with the `NotificationDelivered`
/// event in the outbox). Retriable failures back off exponentially with jitter up to
/// ``retries``; a permanent failure or the last attempt makes a dead letter, and the
/// applicant's next channel (if any) gets the message instead. Each provider has a rate limit.
struct Dispatcher: Service {
    let store: NotificationStore
    let senders: [Layar_V1_DeliveryChannel: any MessageSender]
    let limiters: [Layar_V1_DeliveryChannel: ProviderRateLimiter]
    let logger: Logger
    /// Six attempts, 2 s doubling up to 30 minutes between them.
    var retries = DeliveryRetries(maximumAttempts: 6, base: .seconds(2), cap: .seconds(1800))
    /// Messages claimed per round: a busy round sends this many side by side (measured at 160
    /// referrals/s, about 1,200 messages/s: rounds of 20, each message recorded alone, fell behind).
    var batchSize = 100
    var lease: Duration = .seconds(60)
    var idleInterval: Duration = .milliseconds(250)
    /// Ends idle waits when messages are added or made sendable; nil: poll every `idleInterval`.
    var wakeup: Wakeup?
    /// A referral's applicant SMS or WhatsApp due within this window go as one message (zero: each alone).
    var coalescing: Duration = .zero

    /// The service's clock, through the store: claims, retries and records agree on "now".
    private func now() -> Date { store.clock.now }

    /// Rounds while messages are due; then a wait for a new or changed message (``wakeup``) or
    /// for the next one to fall due (a retry, quiet hours, the coalescing window), not a poll.
    func run() async throws {
        try await RecurringJob(
            "notification dispatch", .draining(idle: idleInterval, afterFailure: .seconds(1)), wakeup: wakeup, logger: logger
        ) {
            if try await dispatchBatch() > 0 { return .busy }
            return .idle(until: try await store.nextDue(after: now()))
        }.run()
    }

    /// Sends one batch of due messages; returns how many were handled. Different referrals'
    /// messages go out side by side (gateways answer in tens of milliseconds); one referral's
    /// messages keep their order, so nobody hears "assigned" before "verified", and what the
    /// providers accepted of them is recorded in one transaction as soon as they are sent. A
    /// crash before that leaves those messages claimed, and after the lease they go again with
    /// the same id (the providers' idempotency key), and a gateway that ignores it sends twice. So
    /// the window is kept to one referral's messages: recording a whole round at once was cheaper
    /// (at 160 referrals/s the applicant's message went out 0.87 s after assignment instead of
    /// 4.2 s) but the full fault suite then re-sent 100 messages after 15 SIGKILLs; per referral,
    /// 15 after 17.
    func dispatchBatch() async throws -> Int {
        let due = try await store.claimDue(limit: batchSize, now: now(), lease: lease, coalescing: coalescing)
        let byReferral = Dictionary(grouping: due, by: \.referralID).values
        try await withThrowingTaskGroup(of: Void.self) { group in
            for messages in byReferral {
                group.addTask {
                    var accepted: [NotificationStore.Accepted] = []
                    var failure: (any Error)?
                    do {
                        for send in Self.sends(messages, coalescing: coalescing > .zero) {
                            if let providerID = try await deliver(send) {
                                accepted += send.enumerated().map { .init(due: $1, providerID: providerID, announced: $0 == 0) }
                            }
                        }
                    } catch {
                        failure = error  // the rest stays claimed until the lease ends
                    }
                    try await recordSent(accepted)
                    if let failure { throw failure }
                }
            }
            try await group.waitForAll()
        }
        return due.count
    }

    /// Records what providers accepted, also when the round is being cancelled (a graceful
    /// shutdown): the messages are out, and recording them is what keeps them from going again.
    private func recordSent(_ accepted: [NotificationStore.Accepted]) async throws {
        guard !accepted.isEmpty else { return }
        let (store, now) = (store, now())
        try await Task { try await store.sent(accepted, now: now) }.value
    }

    /// One referral's claimed messages as sends, in the order they were planned: each alone, or
    /// with `coalescing` the applicant's SMS and WhatsApp of one channel together.
    static func sends(_ messages: [NotificationStore.Due], coalescing: Bool) -> [[NotificationStore.Due]] {
        let ordered = messages.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        guard coalescing else { return ordered.map { [$0] } }
        var sends: [[NotificationStore.Due]] = []
        var joined: [Layar_V1_DeliveryChannel: Int] = [:]  // channel -> index of its send in `sends`
        for message in ordered {
            if message.audience == .applicant, message.channel == .sms || message.channel == .whatsapp {
                if let index = joined[message.channel] {
                    sends[index].append(message)
                    continue
                }
                joined[message.channel] = sends.count
            }
            sends.append([message])
        }
        return sends
    }

    /// Sends `messages` as one (one message, or a referral's coalesced ones); the provider's id
    /// when it accepted it (recorded by the caller), nil when the failure was recorded here (a
    /// retry or a dead letter, of each message in it).
    private func deliver(_ messages: [NotificationStore.Due]) async throws -> String? {
        guard let first = messages.first else { return nil }
        guard let sender = senders[first.channel] else {
            for due in messages {
                try await store.deadLetter(due, error: "no provider configured for \(due.channel)", fallback: try await nextChannel(after: due), now: now())
            }
            return nil
        }
        try await limiters[first.channel]?.acquire()
        let outgoing = OutgoingMessage(
            id: Self.idempotencyKey(messages), to: first.recipient, text: messages.map(\.body).joined(separator: "\n\n"),
            subject: "Dinas Sosial Kabupaten Balangan"
        )
        do {
            return try await sender.send(outgoing)
        } catch let failure as DeliveryFailure {
            for due in messages {
                if let next = retries.nextAttempt(after: due.attempts, retriable: failure.isRetriable, now: now()) {
                    try await store.retry(due, error: failure.message, at: next)
                    logger.info("message \(due.id) attempt \(due.attempts) failed, retrying: \(failure)")
                } else {
                    let fallback = try await nextChannel(after: due)
                    try await store.deadLetter(due, error: failure.message, fallback: fallback, now: now())
                    logger.warning("message \(due.id) dead-lettered after \(due.attempts) attempts: \(failure)")
                }
            }
            return nil
        }
    }

    /// The provider's idempotency key of a send: the message's id; for messages sent together, a
    /// UUID derived from all their ids, so that a re-send after a crash carries the same key only
    /// when it carries the same messages (a key the gateway knew must never hide a new notice).
    static func idempotencyKey(_ messages: [NotificationStore.Due]) -> String {
        guard messages.count > 1 else { return messages.first?.id.description ?? "" }
        var digest = Array(SHA256.hash(data: Array(messages.map { $0.id.description }.sorted().joined(separator: ",").utf8)).prefix(16))
        digest[6] = digest[6] & 0x0f | 0x50  // version 5 layout: name-based
        digest[8] = digest[8] & 0x3f | 0x80
        return UUID(uuid: (
            digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
            digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]
        )).uuidString.lowercased()
    }

    private func nextChannel(after due: NotificationStore.Due) async throws -> (channel: Layar_V1_DeliveryChannel, recipient: String)? {
        try await store.pool.withConnection { try await store.nextChannel(after: due, on: $0) }
    }
}
