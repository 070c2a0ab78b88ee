import AsyncHTTPClient
import LayarDomain
import LayarRuntime
import LayarSchema
import Logging

/// The notification service's own settings: one provider per channel, retries, rate, quiet hours.
/// Without any setting every channel is the development log channel.
public struct NotificationConfiguration: Sendable {
    /// One channel's provider: `log`, `webhook` (SMS/WhatsApp), `twilio` (SMS/WhatsApp), `http` or
    /// `smtp` (e-mail).
    struct Provider: Sendable {
        var kind: String
        var url: String
        var token: String
        var account: String
        var from: String
        /// The server, TLS mode and credentials of `smtp`.
        var smtp: SMTPSettings?
    }

    var providers: [Layar_V1_DeliveryChannel: Provider]
    var logFile: String?
    var maximumAttempts: Int
    var ratePerSecond: Int
    var quietHours: QuietHours
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
            (.whatsapp, "LAYAR_WHATSAPP", ["log", "webhook", "twilio"]),
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
            }
            if kind == "smtp" {
                provider.smtp = SMTPSettings.read(url: provider.url, from: &reader)
            }
            providers[channel] = provider
        }
        let quiet = reader.optional("LAYAR_QUIET_HOURS", default: "21-7")
        let quietHours = quiet == "off" ? QuietHours(startHour: 0, endHour: 0) : QuietHours(quiet)
        if quietHours == nil { reader.problems.append("LAYAR_QUIET_HOURS=\(quiet) is invalid: expected like 21-7, or off") }
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
            providers: providers, logFile: logFile.isEmpty ? nil : logFile, maximumAttempts: attempts, ratePerSecond: rate,
            quietHours: quietHours ?? QuietHours(),
            portalURL: String(portalURL.reversed().drop { $0 == "/" }.reversed()),
            messageRetention: .seconds(retentionDays * 86_400)
        )
    }

    /// The senders for every channel (the log channel always exists, for development); `clock`
    /// dates the e-mails sent over SMTP.
    func senders(client: HTTPClient, logger: Logger, clock: LayarClock) -> [Layar_V1_DeliveryChannel: any MessageSender] {
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
                    whatsapp: channel == .whatsapp, call: call
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
