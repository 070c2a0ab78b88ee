import Foundation
import HTTPTypes
import Hummingbird
import LayarRuntime
import LayarSchema
import Logging
import NIOCore
import ServiceLifecycle

/// The providers' webhooks, on their own port (`LAYAR_WEBHOOK_PORT`): the only part of
/// notification the internet reaches, through the ingress's `/webhooks/` path. Every request
/// must carry its provider's signature; an unsigned or badly signed one is refused with 403
/// before anything is read into the database, a malformed one with 400. A failure to apply
/// answers 500, so the provider delivers the webhook again (and the texts already applied are
/// not applied twice).
///
/// - `POST /webhooks/twilio/sms`, `POST /webhooks/twilio/whatsapp`: Twilio's incoming messages and
///   status callbacks (answered with empty TwiML; our answers go through the outbound queue).
/// - `GET /webhooks/whatsapp`: the Cloud API's subscription check; `POST /webhooks/whatsapp`: its
///   messages and statuses.
struct ProviderWebhookServer: Service {
    var host: String
    var port: Int
    /// Twilio's webhooks of the channels it carries (SMS, WhatsApp).
    var twilio: [Layar_V1_DeliveryChannel: TwilioWebhook]
    var whatsapp: WhatsAppCloudWebhook?
    let texts: InboundTexts
    let logger: Logger
    /// Larger bodies are refused (a provider's notification is a few kilobytes).
    static let maximumBody = 64 * 1024

    func run() async throws {
        // Older contacts get their phone's index; were the database away, the next start does it
        // (until then those applicants' texts are answered as from an unknown phone).
        do {
            let indexed = try await texts.store.indexPhones()
            if indexed > 0 { logger.info("indexed \(indexed) applicants' phones for incoming texts") }
        } catch {
            logger.warning("applicants' phones not indexed yet: \(error)")
        }
        let application = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "layar-webhooks"), logger: logger
        )
        try await application.run()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        for (path, channel) in [("sms", Layar_V1_DeliveryChannel.sms), ("whatsapp", .whatsapp)] {
            if let twilio = twilio[channel] {
                // Twilio signs the URL it called: the configured public one plus this path.
                let signer = TwilioWebhook(authToken: twilio.authToken, publicURL: twilio.publicURL + "/webhooks/twilio/\(path)")
                router.post("/webhooks/twilio/\(path)") { request, _ in
                    try await handle(request, xml: true) { body in
                        try signer.read(
                            body: body, signature: request.headers[HTTPField.Name("X-Twilio-Signature")!], channel: channel,
                            now: texts.store.clock.now
                        )
                    }
                }
            }
        }
        if let whatsapp {
            router.get("/webhooks/whatsapp") { request, _ in
                let query = request.uri.queryParameters
                guard let challenge = whatsapp.challenge(
                    mode: query["hub.mode"].map(String.init), token: query["hub.verify_token"].map(String.init),
                    challenge: query["hub.challenge"].map(String.init)
                ) else { return Response(status: .forbidden) }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: challenge)))
            }
            router.post("/webhooks/whatsapp") { request, _ in
                try await handle(request, xml: false) { body in
                    try whatsapp.read(body: body, signature: request.headers[HTTPField.Name("X-Hub-Signature-256")!])
                }
            }
        }
        return router
    }

    private func handle(_ request: Request, xml: Bool, read: ([UInt8]) throws -> ProviderWebhookBatch) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBody)
        } catch {
            return Response(status: .contentTooLarge)
        }
        let batch: ProviderWebhookBatch
        do {
            batch = try read(Array(body.readableBytesView))
        } catch let refusal as WebhookRefusal {
            LayarMetrics.webhookRefused(reason: refusal.kind == .unsigned ? "unsigned" : "malformed")
            logger.warning("webhook \(request.uri.path) refused: \(refusal)")
            // A signed but malformed body names what is wrong (only the provider could sign it);
            // an unsigned one learns nothing.
            return refusal.kind == .unsigned
                ? Response(status: .forbidden)
                : Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: refusal.reason)))
        }
        for message in batch.messages { try await texts.receive(message) }
        for status in batch.statuses {
            let channels: [Layar_V1_DeliveryChannel] = status.provider == .twilio ? [.sms, .whatsapp] : [.whatsapp]
            try await texts.store.applyProviderStatus(status, channels: channels)
        }
        return xml
            ? Response(
                status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: TwilioWebhook.emptyResponse))
            )
            : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
}
