import Crypto
import Foundation
import LayarSchema

/// Twilio's webhooks for SMS and WhatsApp: an incoming message (`From`, `Body`, `MessageSid`)
/// or a status callback for one we sent (`MessageSid`, `MessageStatus`, `ErrorCode`), both
/// form-encoded and signed: `X-Twilio-Signature` is Base64(HMAC-SHA1(auth token, the URL Twilio
/// called followed by every parameter's name and value, sorted by name)).
/// https://www.twilio.com/docs/usage/webhooks/webhooks-security
struct TwilioWebhook: Sendable {
    /// The account's auth token (the secret that signs).
    var authToken: String
    /// The URL as Twilio calls it, configured: behind a proxy the request's own Host and scheme
    /// are not what Twilio signed, and a header saying otherwise is not to be trusted.
    var publicURL: String

    /// The body's messages and statuses; throws ``WebhookRefusal`` when unsigned or unreadable.
    func read(body: [UInt8], signature: String?, channel: Layar_V1_DeliveryChannel, now: Date) throws -> ProviderWebhookBatch {
        let parameters = try FormEncoding.decode(body)
        guard let signature, !signature.isEmpty else { throw WebhookRefusal.unsigned("X-Twilio-Signature missing") }
        guard WebhookRefusal.signaturesMatch(Array(signature.utf8), Array(self.signature(of: parameters).utf8)) else {
            throw WebhookRefusal.unsigned("X-Twilio-Signature does not match")
        }
        return try TwilioPayload.batch(parameters, channel: channel, now: now)
    }

    /// The signature Twilio computes for these parameters at ``publicURL``.
    func signature(of parameters: [(String, String)]) -> String {
        var data = publicURL
        for (name, value) in parameters.sorted(by: { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }) {
            data += name + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(data.utf8), using: SymmetricKey(data: Array(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Twilio's answer: TwiML that sends nothing (our replies go through the outbound queue,
    /// recorded and retried like every message).
    static let emptyResponse = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>"
}
