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
        guard Self.constantTimeEqual(Array(signature.utf8), Array(self.signature(of: parameters).utf8)) else {
            throw WebhookRefusal.unsigned("X-Twilio-Signature does not match")
        }
        let values = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = values["MessageSid"] ?? values["SmsSid"], !sid.isEmpty, sid.count <= 64 else {
            throw WebhookRefusal.malformed("MessageSid missing")
        }
        var batch = ProviderWebhookBatch()
        if let status = values["MessageStatus"] ?? values["SmsStatus"], values["Body"] == nil {
            // A status callback; the ones before the provider's answer (queued, sending) say nothing new.
            let state: ProviderStatusUpdate.State? = switch status {
            case "sent": .sent
            case "delivered": .delivered
            case "read": .read
            case "failed", "undelivered": .failed
            default: nil
            }
            if let state {
                batch.statuses.append(ProviderStatusUpdate(
                    provider: .twilio, providerMessageID: sid, state: state,
                    error: values["ErrorCode"].map { "Twilio error \($0)" } ?? "", at: now
                ))
            }
            return batch
        }
        guard let from = values["From"].flatMap(ProviderPhone.e164) else { throw WebhookRefusal.malformed("From is not a phone number") }
        batch.messages.append(InboundMessage(
            provider: .twilio, providerMessageID: sid, channel: channel, from: from, text: values["Body"] ?? "", receivedAt: now
        ))
        return batch
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

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Twilio's answer: TwiML that sends nothing (our replies go through the outbound queue,
    /// recorded and retried like every message).
    static let emptyResponse = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>"
}

/// `application/x-www-form-urlencoded` bodies, in order.
enum FormEncoding {
    static func decode(_ body: [UInt8]) throws -> [(String, String)] {
        guard let text = String(validating: body, as: UTF8.self) else { throw WebhookRefusal.malformed("body is not UTF-8") }
        return try text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) throws -> String {
                guard let value = part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw WebhookRefusal.malformed("bad percent-encoding")
                }
                return value
            }
            return (try decoded(parts[0]), parts.count > 1 ? try decoded(parts[1]) : "")
        }
    }

    static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
