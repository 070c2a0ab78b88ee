import Foundation

/// One outgoing message, as a channel's provider needs it.
struct OutgoingMessage: Sendable {
    /// Used as the provider's idempotency key: a re-send after a crash carries the same one.
    var id: String
    /// E.164 phone number or e-mail address.
    var to: String
    var text: String
    var subject: String
}

/// A provider of one channel (an SMS or WhatsApp gateway, a mail API, the development log).
protocol MessageSender: Sendable {
    /// Sends and returns the provider's message id; throws ``DeliveryFailure``.
    func send(_ message: OutgoingMessage) async throws -> String
}

/// A failed send: `isRetriable` for timeouts, 408, 429 and 5xx; permanent otherwise (a refused
/// number, bad credentials).
struct DeliveryFailure: Error, CustomStringConvertible {
    var message: String
    var isRetriable: Bool
    var description: String { message }
}
