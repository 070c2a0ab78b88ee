import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import Logging

/// Answers the applicants' texts: `CEK <kode> <PIN>` with the status from intake, `STOP` or
/// `BERHENTI` with the opt-out (their consent withdrawn here at once and `ApplicantOptedOut` for
/// intake to record), a free text after a request for information with `ApplicantReplied` for the
/// verifier, anything else with how to ask. Each text is applied once (a webhook delivered twice
/// finds it answered); the answer is a message like any other, sent by the dispatcher.
///
/// Abuse: the sender is who the provider's signature vouches for; a phone only ever reaches the
/// referrals it is on record for (a reply) or those whose code and PIN it knows (intake counts
/// wrong PINs per code); every phone is limited to ``statusRequests`` look-ups and ``texts``
/// answered texts, counted in PostgreSQL under the phone's blind index (shared by replicas, no
/// number in the clear). An opt-out is always applied, whatever the limits.
struct InboundTexts: Sendable {
    let store: NotificationStore
    let statusLookup: any ReferralStatusLookup
    let limits: LayarRuntime.RateLimiter
    let logger: Logger

    static let statusRequests = LayarRuntime.RateLimiter.Rule(name: "inbound-status", limit: 5, window: .seconds(600))
    static let texts = LayarRuntime.RateLimiter.Rule(name: "inbound-text", limit: 30, window: .seconds(3600))
    /// The status explanation is cut to this many characters (an SMS answer stays two parts at most).
    static let explanationLength = 200

    func receive(_ message: InboundMessage) async throws {
        let command = InboundCommand(text: message.text)
        guard try await store.pool.withTransaction({ try await store.recordInbound(message, command: command.name, on: $0) }) else {
            return  // answered before
        }
        let phoneKey = store.phoneIndex(message.from).map { String(format: "%02x", $0) }.joined()
        if command != .optOut, !(try await limits.admit(phoneKey, Self.texts)) {
            logger.notice("inbound text \(message.providerMessageID) not answered: the phone's text limit is reached")
            try await store.pool.withConnection { try await store.markAnswered(message, now: store.clock.now, on: $0) }
            return
        }
        // The status is asked before the transaction: no transaction waits on another service.
        var status: StatusAnswer?
        if case .status(let code, let pin) = command {
            status = try await limits.admit(phoneKey, Self.statusRequests)
                ? try await statusLookup.status(trackingCode: code, pin: pin) : .tooManyAttempts
        }
        try await store.pool.withTransaction { connection in
            try await apply(command, status: status, message: message, on: connection)
            try await store.markAnswered(message, now: store.clock.now, on: connection)
        }
    }

    private func apply(_ command: InboundCommand, status: StatusAnswer?, message: InboundMessage, on connection: PostgresConnection) async throws {
        let referrals = try await store.referrals(ofPhone: message.from, on: connection)
        func answer(_ kind: NotificationTemplates.Kind, referral: String? = nil, _ values: [String: String] = [:]) async throws {
            let text = NotificationTemplates.render(kind, .short, values)
            try await store.queueAnswer(to: message, referralID: referral, kind: kind, text: text, on: connection)
        }
        switch command {
        case .optOut:
            try await store.optOut(referralIDs: referrals.map(\.id), channel: message.channel, at: message.receivedAt, on: connection)
            try await answer(.replyOptedOut)
        case .status:
            switch status {
            case .status(let code, let explanation):
                let referral = try await store.referral(trackingCode: code, on: connection)
                try await answer(.replyStatus, referral: referral, ["code": code, "status": Self.shortened(explanation)])
            case .tooManyAttempts:
                try await answer(.replyTooMany)
            case .notMatched, nil:
                try await answer(.replyStatusUnknown)
            }
        case .malformedStatus:
            try await answer(.replyHowTo)
        case .reply(let text):
            for referral in referrals where !text.isEmpty {
                if try await store.awaitsInformation(referral.id, on: connection) {
                    try await store.forwardReply(text, referralID: referral.id, message: message, on: connection)
                    try await answer(.replyForwarded, referral: referral.id, ["code": referral.trackingCode])
                    return
                }
            }
            try await answer(.replyHowTo)
        }
    }

    static func shortened(_ text: String) -> String {
        guard text.count > explanationLength else { return text }
        let cut = text.prefix(explanationLength - 1)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }
}

extension InboundCommand {
    /// How `inbound_messages.command` records it (never the text).
    var name: String {
        switch self {
        case .status: "status"
        case .malformedStatus: "malformed-status"
        case .optOut: "opt-out"
        case .reply: "reply"
        }
    }
}
