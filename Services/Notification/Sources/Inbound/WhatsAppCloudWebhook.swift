import Crypto
import Foundation
import LayarSchema

/// The WhatsApp Business Cloud API's webhook: JSON notifications of incoming messages and of the
/// statuses of messages we sent (sent, delivered, read, failed), signed with the app secret:
/// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`; and the subscription's
/// verification (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`).
/// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks
struct WhatsAppCloudWebhook: Sendable {
    var appSecret: String
    var verifyToken: String

    /// The challenge to echo for a subscription request with our verify token, else nil.
    func challenge(mode: String?, token: String?, challenge: String?) -> String? {
        guard mode == "subscribe", let token, !verifyToken.isEmpty,
              WebhookRefusal.signaturesMatch(Array(token.utf8), Array(verifyToken.utf8)),
              let challenge, !challenge.isEmpty, challenge.count <= 200 else { return nil }
        return challenge
    }

    func read(body: [UInt8], signature: String?) throws -> ProviderWebhookBatch {
        guard let signature, signature.hasPrefix("sha256=") else { throw WebhookRefusal.unsigned("X-Hub-Signature-256 missing") }
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(appSecret.utf8)))
        let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        guard WebhookRefusal.signaturesMatch(Array(signature.lowercased().utf8), Array(expected.utf8)) else {
            throw WebhookRefusal.unsigned("X-Hub-Signature-256 does not match")
        }
        return try WhatsAppCloudPayload.batch(body)
    }
}
