import Foundation
import LayarSchema

/// What a WhatsApp Cloud API notification says, once its signature is checked
/// (``WhatsAppCloudWebhook``): the texts received and the statuses of messages we sent. No
/// cryptography here: the fuzz target reads it.
enum WhatsAppCloudPayload {
    static func batch(_ body: [UInt8]) throws -> ProviderWebhookBatch {
        let notification: Notification
        do {
            notification = try JSONDecoder().decode(Notification.self, from: Data(body))
        } catch {
            throw WebhookRefusal.malformed("not a WhatsApp webhook notification: \(error)")
        }
        var batch = ProviderWebhookBatch()
        for change in notification.entry.flatMap(\.changes) where change.field == "messages" {
            for message in change.value.messages ?? [] {
                guard let from = ProviderPhone.e164(message.from) else { throw WebhookRefusal.malformed("messages.from is not a phone number") }
                guard !message.id.isEmpty, message.id.count <= 128 else { throw WebhookRefusal.malformed("messages.id missing") }
                batch.messages.append(InboundMessage(
                    provider: .whatsappCloud, providerMessageID: message.id, channel: .whatsapp, from: from,
                    // A button's answer is text too; media without a caption is an empty reply.
                    text: String((message.text?.body ?? message.button?.text ?? "").prefix(4_096)), receivedAt: try date(message.timestamp)
                ))
            }
            for status in change.value.statuses ?? [] {
                guard let state = ProviderStatusUpdate.State(rawValue: status.status) else { continue }
                guard !status.id.isEmpty, status.id.count <= 128 else { throw WebhookRefusal.malformed("statuses.id missing") }
                batch.statuses.append(ProviderStatusUpdate(
                    provider: .whatsappCloud, providerMessageID: status.id, state: state,
                    error: (status.errors ?? []).map { "WhatsApp error \($0.code): \($0.title ?? "")" }.joined(separator: "; "),
                    at: try date(status.timestamp)
                ))
            }
        }
        return batch
    }

    /// Unix seconds as the API writes them (a string).
    static func date(_ timestamp: String) throws -> Date {
        guard let seconds = Int64(timestamp), seconds > 0, seconds < 32_503_680_000 else {
            throw WebhookRefusal.malformed("timestamp \(timestamp.prefix(20)) is not Unix seconds")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    // The parts of the notification we read (the rest is ignored).
    struct Notification: Decodable {
        var entry: [Entry]
    }
    struct Entry: Decodable {
        var changes: [Change]
    }
    struct Change: Decodable {
        var field: String
        var value: Value
    }
    struct Value: Decodable {
        var messages: [Message]?
        var statuses: [Status]?
    }
    struct Message: Decodable {
        var from: String
        var id: String
        var timestamp: String
        var text: Text?
        var button: Button?
    }
    struct Text: Decodable {
        var body: String
    }
    struct Button: Decodable {
        var text: String
    }
    struct Status: Decodable {
        var id: String
        var status: String
        var timestamp: String
        var errors: [StatusError]?
    }
    struct StatusError: Decodable {
        var code: Int
        var title: String?
    }
}
