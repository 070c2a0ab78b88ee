import AsyncHTTPClient
import LayarDomain
import LayarRuntime
import LayarSchema
import Logging

/// The notification service's own settings: one provider per channel, retries, rate, quiet hours.
/// Without any setting every channel is the development log channel.
public struct NotificationConfiguration: Sendable {
    /// One channel's provider: `log`, `webhook` (SMS/WhatsApp), `twilio` (SMS/WhatsApp),
    /// `whatsapp-cloud` (WhatsApp), `http` or `smtp` (e-mail).
    struct Provider: Sendable {
        var kind: String
        var url: String
        var token: String
        var account: String
        var from: String
        /// The server, TLS mode and credentials of `smtp`.
        var smtp: SMTPSettings?
        /// WhatsApp Cloud API: the app secret that signs its webhooks, the verify token of the
        /// subscription, the approved template for messages outside the 24-hour window.
        var appSecret = ""
        var verifyToken = ""
        var template = "layar_pemberitahuan"
        var templateLanguage = "id"
    }

    /// Where the providers' webhooks are served (two-way SMS and WhatsApp): on when a channel's
    /// provider is `twilio` or `whatsapp-cloud`.
    struct Webhooks: Sendable {
        var host: String
        var port: Int
        /// `LAYAR_WEBHOOK_PUBLIC_URL`: the address the providers call (Twilio signs it).
        var publicURL: String
        /// Intake's gRPC address, for `CEK` (`LAYAR_INTAKE_ADDR`).
        var intake: ServiceAddress
    }

    var providers: [Layar_V1_DeliveryChannel: Provider]
    var webhooks: Webhooks?
    var logFile: String?
    var maximumAttempts: Int
    var ratePerSecond: Int
    var quietHours: QuietHours
    /// `LAYAR_NOTIFY_COALESCE_SECONDS` (0, off): applicant SMS and WhatsApp about steps this close
    /// together go as one message.
    var coalescing: Duration = .zero
    /// `LAYAR_PORTAL_URL`: the public portal, for the survey link in e-mails and long messages.
    var portalURL: String = ""
    /// `LAYAR_RETENTION_MESSAGE_DAYS` (90): how long a sent or failed message keeps the phone or
    /// e-mail it went to (the applicant's contact itself goes with the referral's retention).
    var messageRetention: Duration = .seconds(90 * 86_400)

    public static func fromEnvironment(_ environment: [String: String]) throws -> NotificationConfiguration {
        var reader = EnvironmentReader(environment)
        var providers: [Layar_V1_DeliveryChannel: Provider] = [:]
        for (channel, prefix, kinds) in [
            (Layar_V1_DeliveryChannel.sms, "LAYAR_SMS", ["log", "webhook", "twilio"]),
            (.whatsapp, "LAYAR_WHATSAPP", ["log", "webhook", "twilio", "whatsapp-cloud"]),
            (.email, "LAYAR_EMAIL", ["log", "http", "smtp"]),
        ] {
            let kind = reader.choice("\(prefix)_PROVIDER", default: "log", among: kinds)
            var provider = Provider(
                kind: kind, url: reader.optional("\(prefix)_URL", default: ""), token: reader.optional("\(prefix)_TOKEN", default: ""),
                account: reader.optional("\(prefix)_ACCOUNT", default: ""), from: reader.optional("\(prefix)_FROM", default: "")
            )
            if kind != "log" {
                provider.url = reader.required("\(prefix)_URL", "the \(kind) endpoint of the \(channel) provider")
            }
            if kind == "twilio" {
                provider.account = reader.required("\(prefix)_ACCOUNT", "the Twilio account SID")
                provider.from = reader.required("\(prefix)_FROM", "the sender number")
                provider.token = reader.required("\(prefix)_TOKEN", "the Twilio auth token (it also signs Twilio's webhooks)")
            }
            if kind == "whatsapp-cloud" {
                provider.account = reader.required("\(prefix)_ACCOUNT", "the WhatsApp phone number id")
                provider.token = reader.required("\(prefix)_TOKEN", "the WhatsApp Cloud API access token")
                provider.appSecret = reader.required("\(prefix)_APP_SECRET", "the app secret that signs WhatsApp's webhooks")
                provider.verifyToken = reader.required("\(prefix)_VERIFY_TOKEN", "the webhook subscription's verify token")
                provider.template = reader.optional("\(prefix)_TEMPLATE", default: provider.template)
                provider.templateLanguage = reader.optional("\(prefix)_TEMPLATE_LANGUAGE", default: provider.templateLanguage)
            }
            if kind == "smtp" {
                provider.smtp = SMTPSettings.read(url: provider.url, from: &reader)
            }
            providers[channel] = provider
        }
        var webhooks: Webhooks?
        if providers.values.contains(where: { $0.kind == "twilio" || $0.kind == "whatsapp-cloud" }) {
            // Required only with a two-way provider (checked here, not by `required`, which the
            // deployment checks read as "every deployment must set it").
            let publicURL = reader.optional("LAYAR_WEBHOOK_PUBLIC_URL", default: "")
            if !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) {
                reader.problems.append(
                    "LAYAR_WEBHOOK_PUBLIC_URL=\(publicURL) is invalid: expected the http(s) address SMS and WhatsApp providers call, e.g. https://layar.example.go.id"
                )
            }
            // LayarServiceName.intake.addressVariable, written out: the deployment checks read the names.
            let intake = reader.optional("LAYAR_INTAKE_ADDR", default: LayarServiceName.intake.localAddress)
            if ServiceAddress(intake) == nil {
                reader.problems.append("LAYAR_INTAKE_ADDR=\(intake) is invalid: expected host:port")
            }
            webhooks = Webhooks(
                host: reader.optional("LAYAR_GRPC_HOST", default: "127.0.0.1"),
                port: reader.integer("LAYAR_WEBHOOK_PORT", default: Self.defaultWebhookPort, in: 1...65535),
                publicURL: String(publicURL.reversed().drop { $0 == "/" }.reversed()),
                intake: ServiceAddress(intake) ?? ServiceAddress(host: "127.0.0.1", port: LayarServiceName.intake.grpcPort)
            )
        }
        let quiet = reader.optional("LAYAR_QUIET_HOURS", default: "21-7")
        let quietHours = quiet == "off" ? QuietHours(startHour: 0, endHour: 0) : QuietHours(quiet)
        if quietHours == nil { reader.problems.append("LAYAR_QUIET_HOURS=\(quiet) is invalid: expected like 21-7, or off") }
        let coalesceSeconds = reader.integer("LAYAR_NOTIFY_COALESCE_SECONDS", default: 0, in: 0...3600)
        let attempts = reader.integer("LAYAR_NOTIFY_MAX_ATTEMPTS", default: 6, in: 1...50)
        let rate = reader.integer("LAYAR_NOTIFY_RATE", default: 10, in: 1...10_000)
        let logFile = reader.optional("LAYAR_NOTIFY_LOG_FILE", default: "")
        let portalURL = reader.optional("LAYAR_PORTAL_URL", default: "")
        let retentionDays = reader.integer("LAYAR_RETENTION_MESSAGE_DAYS", default: 90, in: 1...36_500)
        if !portalURL.isEmpty, !(portalURL.hasPrefix("https://") || portalURL.hasPrefix("http://")) {
            reader.problems.append("LAYAR_PORTAL_URL=\(portalURL) is invalid: expected an http(s) URL")
        }
        try reader.validate()
        return NotificationConfiguration(
            providers: providers, webhooks: webhooks, logFile: logFile.isEmpty ? nil : logFile, maximumAttempts: attempts, ratePerSecond: rate,
            quietHours: quietHours ?? QuietHours(), coalescing: .seconds(coalesceSeconds),
            portalURL: String(portalURL.reversed().drop { $0 == "/" }.reversed()),
            messageRetention: .seconds(retentionDays * 86_400)
        )
    }

    /// `LAYAR_WEBHOOK_PORT`'s default, the service table's.
    static let defaultWebhookPort = LayarServiceName.notification.webhookPort ?? 9110

    /// The senders for every channel (the log channel always exists, for development); `clock`
    /// dates the e-mails sent over SMTP; `conversationOpen` tells the WhatsApp Cloud sender
    /// whether the 24-hour window is open.
    func senders(
        client: HTTPClient, logger: Logger, clock: LayarClock,
        conversationOpen: @escaping @Sendable (String) async throws -> Bool = { _ in false }
    ) -> [Layar_V1_DeliveryChannel: any MessageSender] {
        let log = LogSender(path: logFile, logger: logger)
        let call = HTTPGatewayCall(client: client)
        var senders: [Layar_V1_DeliveryChannel: any MessageSender] = [.log: log]
        for (channel, provider) in providers {
            switch provider.kind {
            case "webhook":
                senders[channel] = WebhookSender(url: provider.url, token: provider.token, call: call)
            case "twilio":
                senders[channel] = TwilioSender(
                    baseURL: provider.url, accountSID: provider.account, authToken: provider.token, from: provider.from,
                    whatsapp: channel == .whatsapp,
                    statusCallback: webhooks.map { "\($0.publicURL)/webhooks/twilio/\(channel == .whatsapp ? "whatsapp" : "sms")" },
                    call: call
                )
            case "whatsapp-cloud":
                senders[channel] = WhatsAppCloudSender(
                    baseURL: provider.url, phoneNumberID: provider.account, accessToken: provider.token,
                    template: provider.template, templateLanguage: provider.templateLanguage, conversationOpen: conversationOpen,
                    call: call
                )
            case "http":
                senders[channel] = HTTPMailSender(url: provider.url, token: provider.token, from: provider.from, call: call)
            case "smtp":
                // fromEnvironment refuses a configuration where these settings could not be read.
                senders[channel] = provider.smtp.map { SMTPSender(settings: $0, clock: clock) } ?? log
            default:
                senders[channel] = log
            }
        }
        return senders
    }
}

extension NotificationConfiguration {
    /// The webhook server for the configured two-way providers, or nil when none is.
    func webhookServer(texts: InboundTexts, logger: Logger) -> ProviderWebhookServer? {
        guard let webhooks else { return nil }
        // Each channel's Twilio account signs its own webhooks.
        let twilio = providers.filter { $0.value.kind == "twilio" }.mapValues {
            TwilioWebhook(authToken: $0.token, publicURL: webhooks.publicURL)
        }
        let whatsapp = providers[.whatsapp].flatMap {
            $0.kind == "whatsapp-cloud" ? WhatsAppCloudWebhook(appSecret: $0.appSecret, verifyToken: $0.verifyToken) : nil
        }
        return ProviderWebhookServer(
            host: webhooks.host, port: webhooks.port, twilio: twilio, whatsapp: whatsapp, texts: texts, logger: logger
        )
    }
}
