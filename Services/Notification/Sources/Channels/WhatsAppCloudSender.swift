import Foundation

/// The WhatsApp Business Cloud API: `POST <url>/<phone number id>/messages` with a bearer token.
/// Within 24 hours of the applicant's last text a free-form text goes; outside that window
/// WhatsApp takes only an approved template, so the message goes as the office's template with
/// the text as its one body parameter (WhatsApp refuses newlines and long runs of spaces in a
/// parameter: they are folded). The answer's `messages[0].id` is what status webhooks name.
/// The API has no idempotency key: a crash between send and record re-sends the message.
/// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
struct WhatsAppCloudSender: MessageSender {
    let baseURL: String
    let phoneNumberID: String
    let accessToken: String
    /// The approved template's name and language (`LAYAR_WHATSAPP_TEMPLATE`, `…_TEMPLATE_LANGUAGE`).
    let template: String
    let templateLanguage: String
    /// Whether the applicant wrote from this number within 24 hours.
    let conversationOpen: @Sendable (String) async throws -> Bool
    let call: HTTPGatewayCall

    func send(_ message: OutgoingMessage) async throws -> String {
        let to = String(message.to.drop { $0 == "+" })
        var payload: [String: Any] = ["messaging_product": "whatsapp", "recipient_type": "individual", "to": to]
        if try await conversationOpen(message.to) {
            payload["type"] = "text"
            payload["text"] = ["preview_url": false, "body": message.text]
        } else {
            payload["type"] = "template"
            payload["template"] = [
                "name": template, "language": ["code": templateLanguage],
                "components": [["type": "body", "parameters": [["type": "text", "text": Self.templateParameter(message.text)]]]],
            ]
        }
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let answer = try await call.post(
            "\(baseURL)/\(phoneNumberID)/messages",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(accessToken)")], body: Array(body)
        )
        let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any]
        return ((object?["messages"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
    }

    /// A template parameter: one line, no tabs, no more than three spaces in a row, 1,024 characters.
    static func templateParameter(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        return String(words.joined(separator: " ").prefix(1024))
    }
}
