import Foundation
import LayarSchema

/// The message providers whose webhooks notification reads.
enum InboundProvider: String, Sendable {
    case twilio
    case whatsappCloud = "whatsapp-cloud"
}

/// A text an applicant sent to the office's SMS number or WhatsApp account, as the provider
/// reported it (its signature already checked).
struct InboundMessage: Equatable, Sendable {
    var provider: InboundProvider
    /// The provider's id of the message: a webhook delivered twice is applied once.
    var providerMessageID: String
    var channel: Layar_V1_DeliveryChannel
    /// E.164 (`+62812…`), as the provider vouches for it.
    var from: String
    var text: String
    var receivedAt: Date
}

/// What a provider says became of a message we sent.
struct ProviderStatusUpdate: Equatable, Sendable {
    enum State: String, Sendable {
        case sent, delivered, read, failed
    }

    var provider: InboundProvider
    /// The provider's id of our message (what its send answered).
    var providerMessageID: String
    var state: State
    /// The provider's reason for a failure.
    var error: String
    var at: Date
}

/// What one webhook request carried.
struct ProviderWebhookBatch: Equatable, Sendable {
    var messages: [InboundMessage] = []
    var statuses: [ProviderStatusUpdate] = []
}

/// A webhook request refused before anything is stored.
struct WebhookRefusal: Error, Equatable, CustomStringConvertible {
    enum Kind: Sendable { case unsigned, malformed }
    var kind: Kind
    var reason: String
    var description: String { reason }

    static func unsigned(_ reason: String) -> WebhookRefusal { WebhookRefusal(kind: .unsigned, reason: reason) }
    static func malformed(_ reason: String) -> WebhookRefusal { WebhookRefusal(kind: .malformed, reason: reason) }

    /// Compares a signature or token received with the expected one in constant time (no early
    /// exit that would tell a prober how many leading bytes were right); both providers' checks use it.
    static func signaturesMatch(_ received: [UInt8], _ expected: [UInt8]) -> Bool {
        guard received.count == expected.count else { return false }
        return zip(received, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The sender's number as providers write it.
enum ProviderPhone {
    /// `+<digits>` from `whatsapp:+62…` (Twilio) or `62…` (WhatsApp Cloud), the form intake
    /// records contacts in; nil when it is not a phone number.
    static func e164(_ text: String) -> String? {
        var value = Substring(text.trimmingCharacters(in: .whitespaces))
        if value.hasPrefix("whatsapp:") { value = value.dropFirst(9) }
        if value.hasPrefix("+") { value = value.dropFirst() }
        guard (8...15).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }), value.first != "0" else { return nil }
        return "+" + value
    }
}
