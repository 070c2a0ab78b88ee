import AsyncHTTPClient
import Crypto
import Foundation
import GRPCCore
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import NIOCore
import Testing

/// An applicant with a basic phone, outside in: the receipt goes out through a Twilio-shaped
/// gateway stand-in, the applicant's texts come back through notification's signed webhook as
/// Twilio posts them (signed here from Twilio's documented algorithm, not with the service's
/// code): `CEK <kode> <PIN>` is answered with the status from the real intake, `BERHENTI` ends
/// up as a consent change in intake's own schema, and the confirmation goes back by SMS.
@Suite("Text messaging journey", .serialized)
struct TextMessagingJourneyTests {
    static let authToken = "journey-twilio-token"
    static let publicURL = "https://layar.test"

    @Test("CEK, an answer to a request for documents, and BERHENTI by SMS through the five real services")
    func journey() async throws {
        try await StackLock.exclusively { try await Self.journeyAlone() }
    }

    static func journeyAlone() async throws {
        let gateway = try await LocalHTTPServer { _, index in .init(status: 201, body: #"{"sid":"SM\#(index)"}"#) }
        let webhookPort = try ServiceProcesses.freePort()
        let services = try ServiceProcesses(environment: [
            "LAYAR_SMS_PROVIDER": "twilio", "LAYAR_SMS_URL": gateway.baseURL, "LAYAR_SMS_ACCOUNT": "AC0001",
            "LAYAR_SMS_FROM": "+6251170001", "LAYAR_SMS_TOKEN": authToken, "LAYAR_WEBHOOK_PUBLIC_URL": publicURL,
            "LAYAR_WEBHOOK_PORT": String(webhookPort),
        ])
        do {
            try await services.waitUntilServing()
            try await run(services, gateway: gateway, webhook: "http://127.0.0.1:\(webhookPort)")
        } catch {
            _ = await services.stop()
            try? await gateway.stop()
            throw error
        }
        _ = await services.stop()
        try await gateway.stop()
        #expect(services.personalDataInLogs() == [], "personal data in the services' logs")
    }

    /// The SMS texts the gateway was asked to send to `phone`.
    static func texts(to phone: String, _ gateway: LocalHTTPServer) -> [String] {
        gateway.requests.compactMap { request in
            let fields = form(request.body)
            return fields["To"] == phone ? fields["Body"] : nil
        }
    }

    static func run(_ services: ServiceProcesses, gateway: LocalHTTPServer, webhook: String) async throws {
        let intake = try #require(services.addresses["intake"])
        // A phone of its own: an opt-out is per phone, and other suites' referrals share the sample's.
        let local = String(format: "%08d", Int.random(in: 10_000_000...99_999_999))
        let phone = "+62813\(local)"
        var form = SampleReferral.uniqueForm()
        form.applicant.phone = "0813-\(local.prefix(4))-\(local.suffix(4))"
        let submitted = try await intake.withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with { $0.form = form })
        }
        _ = try await WalkingSkeletonTests.eventually("the receipt by SMS", services: services) {
            texts(to: phone, gateway).first { $0.hasPrefix("Dinsos Balangan: rujukan \(submitted.trackingCode) diterima") }
        }

        // CEK with the right PIN: the status as intake tells it. A forged text is refused.
        #expect(try await post(["From": phone, "Body": "CEK \(submitted.trackingCode) \(submitted.trackingPin)", "MessageSid": "SMin1"], to: webhook) == 200)
        let status = try await WalkingSkeletonTests.eventually("the status by SMS", services: services) {
            texts(to: phone, gateway).first { $0.hasPrefix("Dinsos Balangan: rujukan \(submitted.trackingCode): ") }
        }
        #expect(status.count > "Dinsos Balangan: rujukan \(submitted.trackingCode): ".count, "\(texts(to: phone, gateway))")
        #expect(try await post(["From": phone, "Body": "BERHENTI", "MessageSid": "SMforged"], to: webhook, token: "guessed") == 403)

        // A second referral from that phone lacks its ID documents: verification asks by SMS, the
        // applicant answers by SMS, and the answer is in the verifier's case.
        var second = SampleReferral.uniqueForm(documents: [SampleReferral.document(.photo)])
        second.applicant.phone = form.applicant.phone
        let asked = try await intake.withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with { $0.form = second })
        }
        _ = try await WalkingSkeletonTests.eventually("the request for documents by SMS", services: services) {
            texts(to: phone, gateway).first { $0.hasPrefix("Dinsos Balangan: rujukan \(asked.trackingCode) perlu") }
        }
        let answer = "KK masih di kantor desa, saya antar hari Senin"
        #expect(try await post(["From": phone, "Body": answer, "MessageSid": "SMin3"], to: webhook) == 200)
        let verification = try #require(services.addresses["verification"])
        let replies = try await WalkingSkeletonTests.eventually("the answer in the verifier's case", services: services) {
            let found = try await verification.withStaffClient { client in
                try await Layar_V1_VerificationService.Client(wrapping: client).getCase(.with { $0.referralID = asked.referralID })
            }
            return found.applicantReplies.isEmpty ? nil : found.applicantReplies
        }
        #expect(replies.map(\.text) == [answer] && replies.first?.channel == .sms)
        _ = try await WalkingSkeletonTests.eventually("the confirmation that the answer was passed on", services: services) {
            texts(to: phone, gateway).first { $0.contains("balasan Anda untuk rujukan \(asked.trackingCode) sudah diteruskan") }
        }

        // BERHENTI: confirmed by SMS, and recorded by intake as a consent change.
        #expect(try await post(["From": phone, "Body": "BERHENTI", "MessageSid": "SMin2"], to: webhook) == 200)
        _ = try await WalkingSkeletonTests.eventually("the opt-out confirmation", services: services) {
            texts(to: phone, gateway).first { $0.contains("tidak akan menerima pesan lagi") }
        }
        let pool = PostgresPool(configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")), logger: TestEnvironment.logger)
        let after = try await WalkingSkeletonTests.eventually("intake's consent change", services: services) {
            try await pool.query(
                "SELECT purposes_after FROM consent_changes WHERE referral_id = $1::uuid AND channel = $2",
                [submitted.referralID, Layar_V1_DeliveryChannel.sms.rawValue]
            ).first?.decode(PostgresTextArray.self, "purposes_after").elements
        }
        await pool.close()
        #expect(!after.contains("notification") && !after.contains("survey") && after.contains("verification"))
    }

    /// Posts a Twilio SMS webhook signed with `token` as Twilio signs it; the HTTP status.
    static func post(_ fields: [String: String], to webhook: String, token: String = authToken) async throws -> UInt {
        var fields = fields
        fields["AccountSid"] = "AC0001"
        fields["To"] = "+6251170001"
        let signed = fields.keys.sorted().reduce("\(publicURL)/webhooks/twilio/sms") { $0 + $1 + fields[$1]! }
        let signature = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(signed.utf8), using: SymmetricKey(data: Array(token.utf8))))
            .base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        var request = HTTPClientRequest(url: "\(webhook)/webhooks/twilio/sms")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "X-Twilio-Signature", value: signature)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    static func form(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
