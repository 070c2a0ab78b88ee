import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import NIOCore
import Synchronization
import Testing

@testable import LayarNotification

/// Two-way SMS and WhatsApp: the providers' signed webhooks served over real HTTP, the texts
/// applied against the real PostgreSQL server, the answers sent by the dispatcher to a local
/// gateway. Intake's status is a recorded stand-in here; the walking skeleton asks the real one.
@Suite("Two-way messaging", .serialized)  // six PostgreSQL schemas with a web server each: one at a time
struct TwoWayMessagingTests {
    static let twilioToken = "twilio-auth-token"
    static let appSecret = "whatsapp-app-secret"
    static let publicURL = "https://layar.test"
    static let phone = "+6281234567890"
    static let strangerPhone = "+6289876543210"

    /// Intake's `GetStatus`, scripted: the right PIN is 123456; every question is recorded.
    final class StatusStandIn: ReferralStatusLookup, Sendable {
        let asked = Mutex<[String]>([])
        func status(trackingCode: String, pin: String) async throws -> StatusAnswer {
            asked.withLock { $0.append("\(trackingCode) \(pin)") }
            return pin == "123456" ? .status(trackingCode: trackingCode, explanation: "Rujukan sedang diverifikasi petugas.") : .notMatched
        }
    }

    struct Fixture {
        let base: NotificationDeliveryTests.Fixture
        let status: StatusStandIn
        let client: any TestClientProtocol
        var store: NotificationStore { base.store }

        func count(_ sql: StaticString, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
            try await base.count(sql, parameters)
        }

        /// Posts a Twilio webhook for `channel`, signed with `token` (nil: unsigned).
        func twilio(_ parameters: [(String, String)], channel: String = "sms", token: String? = twilioToken) async throws -> HTTPResponse.Status {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if let token {
                headers[HTTPField.Name("X-Twilio-Signature")!] = TwilioWebhook(
                    authToken: token, publicURL: "\(publicURL)/webhooks/twilio/\(channel)"
                ).signature(of: parameters)
            }
            return try await client.execute(
                uri: "/webhooks/twilio/\(channel)", method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(parameters))
            ) { response in
                if response.status == .ok { #expect(String(buffer: response.body).contains("<Response>")) }
                return response.status
            }
        }

        /// A text from `from` as Twilio posts it.
        func text(_ body: String, from: String = phone, id: String) async throws -> HTTPResponse.Status {
            try await twilio([("MessageSid", id), ("AccountSid", "AC1"), ("From", from), ("To", "+6251100000"), ("Body", body)])
        }

        /// Posts a WhatsApp Cloud API notification, signed with `secret` (nil: unsigned).
        func whatsapp(_ json: String, secret: String? = appSecret) async throws -> HTTPResponse.Status {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let secret { headers[HTTPField.Name("X-Hub-Signature-256")!] = Self.hubSignature(json, secret) }
            return try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: headers, body: ByteBuffer(string: json)) {
                $0.status
            }
        }

        static func hubSignature(_ body: String, _ secret: String) -> String {
            "sha256=" + HMACSHA256.hex(Array(body.utf8), key: Array(secret.utf8))
        }

        /// Posts `body` with one signature header; the status and the answer's text.
        func post(_ path: String, _ body: String, signature: (HTTPField.Name, String)?) async throws -> (HTTPResponse.Status, String) {
            var headers: HTTPFields = [:]
            if let signature { headers[signature.0] = signature.1 }
            return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body))
            }
        }

        /// The answers recorded to texts (kind and body), oldest first.
        func answers() async throws -> [(referral: String, kind: String, body: String, channel: Int)] {
            try await base.database.pool.query(
                "SELECT referral_id::text AS r, kind, body, channel FROM messages WHERE event_type = $1 ORDER BY created_at, id",
                [NotificationStore.inboundEventType]
            ).map { (try $0.decode(String.self, "r"), try $0.decode(String.self, "kind"), try $0.decode(String.self, "body"), try $0.decode(Int.self, "channel")) }
        }

        /// Outbox payloads of one event type, opened.
        func outbox<E: LayarEvent>(_ type: E.Type) async throws -> [E] {
            try await base.database.pool.query("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", [E.eventType]).map {
                try E(serializedBytes: try store.cipher.open(try $0.decode([UInt8].self, "payload"), Outbox.payloadField))
            }
        }
    }

    static func withWebhooks(_ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        let base = try await NotificationDeliveryTests.prepare()
        let status = StatusStandIn()
        let texts = InboundTexts(
            store: base.store, statusLookup: status, limits: RateLimiter(pool: base.database.pool, clock: base.clock.clock),
            logger: TestEnvironment.logger
        )
        let server = ProviderWebhookServer(
            host: "127.0.0.1", port: 0, twilio: [.sms: TwilioWebhook(authToken: twilioToken, publicURL: publicURL)],
            whatsapp: WhatsAppCloudWebhook(appSecret: appSecret, verifyToken: "verify-me"), texts: texts, logger: TestEnvironment.logger
        )
        let application = Application(router: server.router(), logger: TestEnvironment.logger)
        do {
            try await application.test(.live) { client in try await body(Fixture(base: base, status: status, client: client)) }
        } catch {
            try? await base.database.drop()
            throw error
        }
        try await base.database.drop()
    }

    @Test("CEK answers the status from intake by SMS, once per text; a wrong PIN learns nothing; unsigned and forged webhooks are refused")
    func statusByText() async throws {
        try await Self.withWebhooks { fixture in
            let referral = NotificationDeliveryTests.referral(phone: Self.phone)
            try await NotificationDeliveryTests.feed(fixture.base, referral.events)
            #expect(try await fixture.text("cek lyr-abcd-efgh 123456", id: "SM1") == .ok)
            #expect(try await fixture.text("cek lyr-abcd-efgh 123456", id: "SM1") == .ok)  // Twilio retried the webhook
            #expect(fixture.status.asked.withLock { $0 } == ["LYR-ABCD-EFGH 123456"])
            var answers = try await fixture.answers()
            let answer = try #require(answers.first)
            #expect(answers.count == 1)
            #expect(answer.referral == referral.id && answer.kind == "replyStatus" && answer.channel == Layar_V1_DeliveryChannel.sms.rawValue)
            #expect(answer.body == "Dinsos Balangan: rujukan LYR-ABCD-EFGH: Rujukan sedang diverifikasi petugas.")

            // A stranger guessing: the answer names no referral, and goes to the stranger.
            fixture.base.clock.advance(1)  // the answers in the order of the texts
            #expect(try await fixture.text("CEK LYR-ABCD-EFGH 000000", from: Self.strangerPhone, id: "SM2") == .ok)
            answers = try await fixture.answers()
            let refused = try #require(answers.last)
            #expect(refused.referral == NotificationStore.noReferral && refused.kind == "replyStatusUnknown")
            #expect(!refused.body.contains("LYR-ABCD-EFGH"))

            // Without the provider's signature nothing is read, nothing stored.
            let inbound = try await fixture.count("SELECT count(*) AS n FROM inbound_messages")
            let forged = [("MessageSid", "SM3"), ("From", Self.phone), ("Body", "BERHENTI")]
            #expect(try await fixture.twilio(forged, token: nil) == .forbidden)
            #expect(try await fixture.twilio(forged, token: "someone-elses-token") == .forbidden)
            #expect(try await fixture.twilio(forged, channel: "whatsapp") == .notFound)  // Twilio carries SMS only here
            #expect(try await fixture.count("SELECT count(*) AS n FROM inbound_messages") == inbound)
            #expect(try await fixture.count("SELECT count(*) AS n FROM applicants WHERE NOT notification_consent") == 0)

            // The answers go back to the phones that wrote, through the SMS gateway.
            let (gateway, sender) = try await NotificationDeliveryTests.gateway { _, _ in .init(status: 200, body: #"{"id":"gw-1"}"#) }
            _ = try await fixture.base.dispatcher(sms: sender).dispatchBatch()
            let sent = gateway.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: String] }
            #expect(sent.contains { $0["to"] == Self.phone && $0["text"] == answer.body })
            #expect(sent.contains { $0["to"] == Self.strangerPhone && $0["text"] == refused.body })
            try await gateway.stop()
        }
    }

    @Test("STOP opts the phone out: its referrals' consent withdrawn, optional messages not yet sent suppressed, intake told; other phones untouched")
    func optOut() async throws {
        try await Self.withWebhooks { fixture in
            let first = NotificationDeliveryTests.referral(phone: Self.phone)
            let second = NotificationDeliveryTests.referral(phone: Self.phone)
            let other = NotificationDeliveryTests.referral(phone: Self.strangerPhone)
            try await NotificationDeliveryTests.feed(fixture.base, first.events + second.events + other.events)
            #expect(try await fixture.count("SELECT count(*) AS n FROM messages WHERE status = 1 AND channel = 1") == 3)

            #expect(try await fixture.text("  Berhenti ", id: "SM10") == .ok)
            let optedOut = try await fixture.outbox(Layar_V1_ApplicantOptedOut.self)
            #expect(Set(optedOut.map(\.referralID)) == [first.id, second.id])
            #expect(optedOut.allSatisfy { $0.channel == .sms && $0.optedOutAt.date == fixture.base.clock.now })
            #expect(try await fixture.count("SELECT count(*) AS n FROM applicants WHERE NOT notification_consent AND NOT survey_consent") == 2)
            // The receipts waiting for the dispatcher: the two of that phone suppressed, the other's kept.
            #expect(try await fixture.count(
                "SELECT count(*) AS n FROM messages WHERE status = 1 AND channel = 1 AND referral_id = $1::uuid", [other.id]
            ) == 1)
            #expect(try await fixture.count("SELECT count(*) AS n FROM messages WHERE last_error = 'the applicant opted out'") == 2)
            #expect(try await fixture.answers().map(\.kind) == ["replyOptedOut"])

            // A later optional message is not sent to that phone; a required notice still is.
            try await NotificationDeliveryTests.feed(fixture.base, [Layar_V1_ReferralVerified.with { $0.referralID = first.id }])
            let verified = try await NotificationDeliveryTests.messages(fixture.base, first.id).filter {
                $0.eventType == Layar_V1_ReferralVerified.eventType && $0.audience == .applicant
            }
            #expect(verified.allSatisfy { $0.status == .suppressed })
        }
    }

    @Test("a text answering a request for information reaches verification for that referral; other texts get how to ask")
    func replies() async throws {
        try await Self.withWebhooks { fixture in
            let asked = NotificationDeliveryTests.referral(phone: Self.phone)
            let other = NotificationDeliveryTests.referral(phone: Self.strangerPhone)
            try await NotificationDeliveryTests.feed(fixture.base, asked.events + other.events + [
                Layar_V1_ReferralInformationRequested.with {
                    $0.referralID = asked.id
                    $0.missingDocuments = [.kk]
                },
            ])
            #expect(try await fixture.text("KK sudah difoto, saya antar ke kantor desa besok", id: "SM20") == .ok)
            fixture.base.clock.advance(1)  // the answers in the order of the texts
            #expect(try await fixture.text("halo", from: Self.strangerPhone, id: "SM21") == .ok)
            let replied = try await fixture.outbox(Layar_V1_ApplicantReplied.self)
            let reply = try #require(replied.first)
            #expect(replied.count == 1)
            #expect(reply.referralID == asked.id && reply.text == "KK sudah difoto, saya antar ke kantor desa besok" && reply.channel == .sms)
            #expect(try await fixture.answers().map(\.kind) == ["replyForwarded", "replyHowTo"])
            #expect(try await fixture.answers().first?.body.contains("LYR-ABCD-EFGH") == true)
            // A second text goes on to the verifier too (our answer to the first is not a new step).
            fixture.base.clock.advance(1)
            #expect(try await fixture.text("Foto KK terlampir di kantor desa", id: "SM22") == .ok)
            #expect(try await fixture.outbox(Layar_V1_ApplicantReplied.self).map(\.text) == [
                "KK sudah difoto, saya antar ke kantor desa besok", "Foto KK terlampir di kantor desa",
            ])
            // Once the documents came (a new step), a text is no longer an answer.
            try await NotificationDeliveryTests.feed(fixture.base, [Layar_V1_ReferralDocumentsAdded.with { $0.referralID = asked.id }])
            #expect(try await fixture.text("terima kasih", id: "SM23") == .ok)
            #expect(try await fixture.outbox(Layar_V1_ApplicantReplied.self).count == 2)
        }
    }

    @Test("a phone may ask five statuses in ten minutes; the sixth is answered 'too many' without asking intake; other phones and later windows are not held")
    func statusLimit() async throws {
        try await Self.withWebhooks { fixture in
            for index in 0..<6 {
                let status = try await fixture.text("CEK LYR-ABCD-EFGH 00000\(index)", id: "SM3\(index)")
                #expect(status == .ok)
                fixture.base.clock.advance(1)  // the answers in the order of the texts
            }
            #expect(fixture.status.asked.withLock { $0.count } == 5)
            let last = try await fixture.answers().last?.kind
            #expect(last == "replyTooMany")
            let other = try await fixture.text("CEK LYR-ABCD-EFGH 123456", from: Self.strangerPhone, id: "SM40")
            #expect(other == .ok)
            #expect(fixture.status.asked.withLock { $0.count } == 6)
            fixture.base.clock.advance(600)  // the next window
            #expect(try await fixture.text("CEK LYR-ABCD-EFGH 123456", id: "SM41") == .ok)
            #expect(fixture.status.asked.withLock { $0.count } == 7)
        }
    }

    @Test("WhatsApp Cloud: the subscription check; signed texts and statuses; a failure reported after acceptance falls back to e-mail")
    func whatsappCloud() async throws {
        try await Self.withWebhooks { fixture in
            let challenge = try await fixture.client.execute(
                uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=8141", method: .get
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(challenge.0 == .ok && challenge.1 == "8141")
            let wrong = try await fixture.client.execute(
                uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=8141", method: .get
            ) { $0.status }
            #expect(wrong == .forbidden)

            // A message accepted by WhatsApp (provider id wamid.OUT1), then reported failed.
            let referral = NotificationDeliveryTests.referral(phone: Self.phone, email: "keluarga@example.org", preferred: .whatsapp)
            try await NotificationDeliveryTests.feed(fixture.base, referral.events)
            var dispatcher = Dispatcher(
                store: fixture.store, senders: [.whatsapp: FixedIDSender(id: "wamid.OUT1")], limiters: [:], logger: TestEnvironment.logger
            )
            dispatcher.batchSize = 10
            #expect(try await dispatcher.dispatchBatch() == 1)
            let seconds = Int(fixture.base.clock.now.timeIntervalSince1970)
            let notification = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"phone_number_id":"10"},
                "statuses":[{"id":"wamid.OUT1","status":"delivered","timestamp":"\(seconds)","recipient_id":"6281234567890"},
                {"id":"wamid.OUT1","status":"failed","timestamp":"\(seconds)","recipient_id":"6281234567890",
                "errors":[{"code":131026,"title":"Message undeliverable"}]}],
                "messages":[{"from":"6281234567890","id":"wamid.IN1","timestamp":"\(seconds)","type":"text","text":{"body":"CEK LYR-ABCD-EFGH 123456"}}]
                }}]}]}
                """
            #expect(try await fixture.whatsapp(notification, secret: nil) == .forbidden)
            #expect(try await fixture.whatsapp(notification, secret: "not-the-secret") == .forbidden)
            #expect(try await fixture.whatsapp("{\"entry\": 5}") == .badRequest)
            #expect(try await fixture.whatsapp(notification) == .ok)

            let messages = try await NotificationDeliveryTests.messages(fixture.base, referral.id)
            let failed = try #require(messages.first { $0.channel == .whatsapp && $0.eventType == Layar_V1_ReferralSubmitted.eventType })
            #expect(failed.status == .failed && failed.error == "WhatsApp error 131026: Message undeliverable")
            #expect(messages.contains { $0.channel == .email && $0.status == .pending && $0.eventType == Layar_V1_ReferralSubmitted.eventType })
            #expect(try await fixture.count("SELECT count(*) AS n FROM messages WHERE provider_status = 'failed'") == 1)
            // The text asked the status, and is answered on WhatsApp.
            #expect(try await fixture.answers().map { "\($0.kind) \($0.channel)" } == ["replyStatus 2"])
        }
    }

    @Test("malformed webhooks, signed or not, are refused with what is wrong and store nothing")
    func badInputs() async throws {
        try await Self.withWebhooks { fixture in
            let twilio: [(String, [(String, String)], String)] = [
                ("no MessageSid", [("From", Self.phone), ("Body", "CEK")], "MessageSid"),
                ("sender not a phone", [("MessageSid", "SMb1"), ("From", "+62-abc"), ("Body", "CEK")], "From"),
                ("sender a short code", [("MessageSid", "SMb2"), ("From", "1234"), ("Body", "STOP")], "From"),
                ("sid too long", [("MessageSid", String(repeating: "S", count: 65)), ("From", Self.phone), ("Body", "x")], "MessageSid"),
            ]
            for (name, parameters, field) in twilio {
                let (status, reason) = try await fixture.post(
                    "/webhooks/twilio/sms", FormEncoding.encode(parameters),
                    signature: (HTTPField.Name("X-Twilio-Signature")!, TwilioWebhook(
                        authToken: Self.twilioToken, publicURL: "\(Self.publicURL)/webhooks/twilio/sms"
                    ).signature(of: parameters))
                )
                #expect(status == .badRequest && reason.contains(field), "\(name): \(status) \(reason)")
            }
            let whatsapp: [(String, String, String)] = [
                ("not JSON", "{entry", "notification"),
                ("no entry", #"{"object":"whatsapp_business_account"}"#, "notification"),
                ("sender not a phone", #"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"abc","id":"w1","timestamp":"1796000000"}]}}]}]}"#, "from"),
                ("timestamp not seconds", #"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"6281234567890","id":"w2","timestamp":"kemarin"}]}}]}]}"#, "timestamp"),
                ("empty id", #"{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"","status":"read","timestamp":"1796000000"}]}}]}]}"#, "id"),
            ]
            for (name, body, field) in whatsapp {
                let (status, reason) = try await fixture.post(
                    "/webhooks/whatsapp", body, signature: (HTTPField.Name("X-Hub-Signature-256")!, Fixture.hubSignature(body, Self.appSecret))
                )
                #expect(status == .badRequest && reason.contains(field), "\(name): \(status) \(reason)")
            }
            // Too large, and a form that is not UTF-8 or not percent-encoded, before any signature is worth checking.
            let large = String(repeating: "a", count: 70_000)
            #expect(try await fixture.post("/webhooks/whatsapp", large, signature: (HTTPField.Name("X-Hub-Signature-256")!, "sha256=00")).0 == .contentTooLarge)
            #expect(try await fixture.post("/webhooks/twilio/sms", "Body=%ZZ", signature: nil).0 == .badRequest)
            for table: StaticString in [
                "SELECT count(*) AS n FROM inbound_messages", "SELECT count(*) AS n FROM messages", "SELECT count(*) AS n FROM outbox",
            ] {
                #expect(try await fixture.count(table) == 0, "\(table)")
            }
        }
    }

    @Test("the WhatsApp Cloud sender: the approved template outside the 24-hour window, a free-form text inside it")
    func whatsappWindow() async throws {
        try await Self.withWebhooks { fixture in
            let gateway = try await LocalHTTPServer { _, index in .init(status: 200, body: #"{"messages":[{"id":"wamid.\#(index)"}]}"#) }
            let store = fixture.store
            let sender = WhatsAppCloudSender(
                baseURL: gateway.baseURL + "/v21.0", phoneNumberID: "1055", accessToken: "wa-token", template: "layar_pemberitahuan",
                templateLanguage: "id",
                conversationOpen: { try await store.conversationOpen(phone: $0, channel: .whatsapp, now: store.clock.now) },
                call: HTTPGatewayCall(client: .shared)
            )
            let message = OutgoingMessage(id: "m1", to: Self.phone, text: "Dinsos Balangan:\nrujukan   diterima.", subject: "")
            #expect(try await sender.send(message) == "wamid.0")
            let seconds = Int(fixture.base.clock.now.timeIntervalSince1970)
            let text = """
                {"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"6281234567890","id":"wamid.IN9",
                "timestamp":"\(seconds)","type":"text","text":{"body":"halo"}}]}}]}]}
                """
            #expect(try await fixture.whatsapp(text) == .ok)
            #expect(try await sender.send(message) == "wamid.1")
            fixture.base.clock.advance(24 * 3600 + 1)
            #expect(try await sender.send(message) == "wamid.2")

            let bodies = try gateway.requests.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
            #expect(bodies.map { $0["type"] as? String } == ["template", "text", "template"])
            let template = try #require(bodies.first?["template"] as? [String: Any])
            #expect(template["name"] as? String == "layar_pemberitahuan")
            let parameter = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.first?["text"] as? String
            #expect(parameter == "Dinsos Balangan: rujukan diterima.")
            #expect((bodies[1]["text"] as? [String: Any])?["body"] as? String == message.text)
            #expect(bodies.allSatisfy { $0["to"] as? String == "6281234567890" })
            #expect(gateway.requests.allSatisfy { $0.path == "/v21.0/1055/messages" && $0.header("Authorization") == "Bearer wa-token" })
            try await gateway.stop()
        }
    }
}

/// A provider that accepts every message under one id.
struct FixedIDSender: MessageSender {
    let id: String
    func send(_ message: OutgoingMessage) async throws -> String { id }
}

/// HMAC-SHA256 in hex, as the WhatsApp Cloud API signs its webhooks.
enum HMACSHA256 {
    static func hex(_ data: [UInt8], key: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }
}
