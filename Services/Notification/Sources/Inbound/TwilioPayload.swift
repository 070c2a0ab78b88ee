import Foundation
import LayarSchema

/// What a Twilio webhook's parameters say, once its signature is checked (``TwilioWebhook``): an
/// incoming message (`From`, `Body`, `MessageSid`) or a status callback for one we sent
/// (`MessageSid`, `MessageStatus`, `ErrorCode`). No cryptography here: the fuzz target reads it.
enum TwilioPayload {
    static func batch(_ parameters: [(String, String)], channel: Layar_V1_DeliveryChannel, now: Date) throws -> ProviderWebhookBatch {
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
                    error: values["ErrorCode"].map { "Twilio error \($0.prefix(16))" } ?? "", at: now
                ))
            }
            return batch
        }
        guard let from = values["From"].flatMap(ProviderPhone.e164) else { throw WebhookRefusal.malformed("From is not a phone number") }
        batch.messages.append(InboundMessage(
            provider: .twilio, providerMessageID: sid, channel: channel, from: from,
            text: String((values["Body"] ?? "").prefix(1_600)), receivedAt: now
        ))
        return batch
    }
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
