import AsyncHTTPClient
import Foundation
import LayarJobs
import LayarRuntime
import NIOCore
import NIOHTTP1

/// Shared HTTP plumbing of the gateway senders: one request, classified into success (with the
/// body) or a ``DeliveryFailure``.
struct HTTPGatewayCall: Sendable {
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    func post(_ url: String, headers: [(String, String)], body: [UInt8]) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw DeliveryFailure(message: "gateway unreachable: \(error)", isRetriable: true)
        }
        let buffer = try await response.body.collect(upTo: 1 << 20)
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else {
            throw DeliveryFailure(message: "gateway answered HTTP \(code)", isRetriable: RetryPolicy.isRetriable(httpStatus: code))
        }
        return Array(buffer.readableBytesView)
    }

    /// The `field` of a JSON object body, or "" (providers differ in what they return).
    static func jsonField(_ field: String, in body: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return "" }
        return (object[field] as? String) ?? (object[field] as? Int).map(String.init) ?? ""
    }
}

/// The generic webhook form for SMS and WhatsApp gateways: `POST <url>` with
/// `{"to": "+62...", "text": "...", "reference": "<message id>"}`, a bearer token and an
/// `Idempotency-Key` header; a JSON `id` in the answer is kept as the provider's id.
struct WebhookSender: MessageSender {
    let url: String
    let token: String
    let call: HTTPGatewayCall

    func send(_ message: OutgoingMessage) async throws -> String {
        let body = try JSONSerialization.data(
            withJSONObject: ["to": message.to, "text": message.text, "reference": message.id], options: [.sortedKeys]
        )
        var headers = [("Content-Type", "application/json"), ("Idempotency-Key", message.id)]
        if !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        return HTTPGatewayCall.jsonField("id", in: try await call.post(url, headers: headers, body: Array(body)))
    }
}

/// Twilio's Messages API, a common concrete gateway shape: form-encoded `To`, `From`, `Body` to
/// `<base>/2010-04-01/Accounts/<sid>/Messages.json` with basic auth; WhatsApp numbers carry the
/// `whatsapp:` prefix. Twilio honours `I-Twilio-Idempotency-Token`.
struct TwilioSender: MessageSender {
    let baseURL: String
    let accountSID: String
    let authToken: String
    let from: String
    let whatsapp: Bool
    /// Where Twilio reports what became of the message (our webhook), when it is served.
    var statusCallback: String?
    let call: HTTPGatewayCall

    func send(_ message: OutgoingMessage) async throws -> String {
        let prefix = whatsapp ? "whatsapp:" : ""
        var parameters = [("To", prefix + message.to), ("From", prefix + from), ("Body", message.text)]
        if let statusCallback { parameters.append(("StatusCallback", statusCallback)) }
        let form = FormEncoding.encode(parameters)
        let credentials = Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic \(credentials)"),
            ("I-Twilio-Idempotency-Token", message.id),
        ]
        let url = "\(baseURL)/2010-04-01/Accounts/\(accountSID)/Messages.json"
        return HTTPGatewayCall.jsonField("sid", in: try await call.post(url, headers: headers, body: Array(form.utf8)))
    }
}

/// An HTTP mail API: `POST <url>` with `{"from", "to", "subject", "text"}` JSON, a bearer token
/// and an `Idempotency-Key`.
struct HTTPMailSender: MessageSender {
    let url: String
    let token: String
    let from: String
    let call: HTTPGatewayCall

    func send(_ message: OutgoingMessage) async throws -> String {
        let body = try JSONSerialization.data(
            withJSONObject: ["from": from, "to": message.to, "subject": message.subject, "text": message.text],
            options: [.sortedKeys]
        )
        var headers = [("Content-Type", "application/json"), ("Idempotency-Key", message.id)]
        if !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        return HTTPGatewayCall.jsonField("id", in: try await call.post(url, headers: headers, body: Array(body)))
    }
}
