import Foundation
import LayarDomain
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// E-mail through an SMTP server (a submission port, an organisation's relay): one connection per
/// message, STARTTLS (or TLS from the first byte, or, on loopback only, none), AUTH PLAIN or
/// LOGIN when a user is configured, then `MAIL FROM`, `RCPT TO`, `DATA` and `QUIT`.
///
/// The message's id is its Message-ID (`<id@from-domain>`), so a re-send after a crash carries the
/// same one. A 4xx reply, a timeout or a lost connection is retriable; a 5xx reply, a server
/// without STARTTLS and a certificate that does not verify are permanent (the last two are
/// configuration errors a retry cannot mend). Credentials are never sent over a connection
/// without TLS, and no failure message holds the password or the recipient's address.
struct SMTPSender: MessageSender {
    let settings: SMTPSettings
    /// The `Date` header's clock.
    let clock: LayarClock
    var group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    init(settings: SMTPSettings, clock: LayarClock) {
        self.settings = settings
        self.clock = clock
    }

    func send(_ message: OutgoingMessage) async throws -> String {
        guard SMTPSettings.isPlainAddress(message.to) else {
            throw DeliveryFailure(message: "SMTP: the recipient is not a plain e-mail address", isRetriable: false)
        }
        let localPart = message.id.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
        let messageID = "<\(localPart)@\(settings.fromDomain)>"
        let format = SMTPMessageFormat(
            from: settings.fromHeader, to: message.to, subject: message.subject, text: message.text, messageID: messageID,
            date: clock.now
        )
        let deadline = StepDeadline()
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await connect(deadline: deadline)
        } catch {
            throw failure(error, step: "connect", deadline: deadline)
        }
        let session = SMTPSession(
            channel: channel.channel, timeout: settings.stepTimeout, deadline: deadline, recipient: message.to,
            isTLS: settings.security == .tls
        )
        return try await channel.executeThenClose { inbound, outbound in
            var session = session
            do {
                let accepted = try await converse(&session, inbound.makeAsyncIterator(), outbound, format: format)
                return Self.queueID(accepted) ?? messageID
            } catch {
                throw failure(error, step: session.step, deadline: deadline)
            }
        }
    }

    /// The dialogue from the greeting to the reply after the message; QUIT follows when it was accepted.
    private func converse(
        _ session: inout SMTPSession, _ replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        _ writer: NIOAsyncChannelOutboundWriter<ByteBuffer>, format: SMTPMessageFormat
    ) async throws -> SMTPReply {
        var io = SMTPSession.IO(replies: replies, writer: writer)
        try await session.command(nil, step: "greeting", expect: [220], io: &io)
        var features = SMTPFeatures(try await session.command("EHLO \(settings.fromDomain)", step: "EHLO", expect: [250], io: &io))
        if settings.security == .starttls {
            guard features.startTLS else {
                throw DeliveryFailure(
                    message: "SMTP STARTTLS: \(settings.host) does not offer STARTTLS, so nothing was sent (LAYAR_EMAIL_TLS)",
                    isRetriable: false
                )
            }
            try await session.command("STARTTLS", step: "STARTTLS", expect: [220], io: &io)
            try await session.startTLS(context: settings.tls, host: settings.host)
            let secured = try await session.command("EHLO \(settings.fromDomain)", step: "EHLO after STARTTLS", expect: [250], io: &io)
            features = SMTPFeatures(secured)
        }
        if !settings.username.isEmpty {
            guard session.isTLS else {
                throw DeliveryFailure(message: "SMTP AUTH: credentials are only sent over TLS", isRetriable: false)
            }
            try await authenticate(features, &session, &io)
        }
        try await session.command("MAIL FROM:<\(settings.fromAddress)>", step: "MAIL FROM", expect: [250], io: &io)
        try await session.command("RCPT TO:<\(format.to)>", step: "RCPT TO", expect: [250, 251], io: &io)
        try await session.command("DATA", step: "DATA", expect: [354], io: &io)
        let accepted = try await session.write(format.dataBlock, step: "message", expect: [250], io: &io)
        // The message is the server's now: a failed QUIT must not make the dispatcher send it again.
        _ = try? await session.command("QUIT", step: "QUIT", expect: [221], io: &io)
        return accepted
    }

    /// AUTH PLAIN, or AUTH LOGIN when only that is offered (RFC 4954, 4616).
    private func authenticate(_ features: SMTPFeatures, _ session: inout SMTPSession, _ io: inout SMTPSession.IO) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if features.authMechanisms.contains("PLAIN") {
            let token = base64("\u{0}\(settings.username)\u{0}\(settings.password)")
            try await session.command("AUTH PLAIN \(token)", step: "AUTH PLAIN", expect: [235], io: &io)
        } else if features.authMechanisms.contains("LOGIN") {
            try await session.command("AUTH LOGIN", step: "AUTH LOGIN", expect: [334], io: &io)
            try await session.command(base64(settings.username), step: "AUTH LOGIN (user)", expect: [334], io: &io)
            try await session.command(base64(settings.password), step: "AUTH LOGIN (password)", expect: [235], io: &io)
        } else {
            let offered = features.authMechanisms.isEmpty ? "none" : features.authMechanisms.sorted().joined(separator: " ")
            throw DeliveryFailure(message: "SMTP AUTH: the server offers neither PLAIN nor LOGIN (offers: \(offered))", isRetriable: false)
        }
    }

    private func connect(deadline: StepDeadline) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let implicitTLS = settings.security == .tls ? settings.tls : nil
        let host = settings.host
        return try await ClientBootstrap(group: group)
            .connectTimeout(settings.stepTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: implicitTLS, serverHostname: SMTPSession.serverName(host))
                        )
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyDecoder())
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// A ``DeliveryFailure`` naming the step: timeouts and lost connections are retriable, a TLS
    /// handshake that fails (an untrusted or misnamed certificate) is not.
    private func failure(_ error: any Error, step: String, deadline: StepDeadline) -> DeliveryFailure {
        if let failure = error as? DeliveryFailure { return failure }
        let server = "\(settings.host):\(settings.port)"
        if let expired = deadline.expiredStep {
            return DeliveryFailure(
                message: "SMTP \(expired): no answer from \(server) within \(settings.stepTimeout.nanoseconds / 1_000_000) ms",
                isRetriable: true
            )
        }
        // A handshake failure surfaces while the next command waits for its reply: it is named as the handshake.
        switch error {
        case let error as NIOSSLError:
            if case .handshakeFailed = error {
                return DeliveryFailure(
                    message: "SMTP TLS handshake: \(server) was refused "
                        + "(a certificate not signed by a trusted CA? LAYAR_EMAIL_CA_FILE): \(error)",
                    isRetriable: false
                )
            }
        case let error as NIOSSLExtraError:
            return DeliveryFailure(
                message: "SMTP TLS handshake: \(server) was refused (a certificate for another name?): \(error)", isRetriable: false
            )
        case let error as SMTPProtocolError:
            return DeliveryFailure(message: "SMTP \(step): \(server) broke the protocol: \(error)", isRetriable: true)
        default:
            break
        }
        return DeliveryFailure(message: "SMTP \(step): connection to \(server) failed: \(error)", isRetriable: true)
    }

    /// The queue id in the reply accepting a message (`250 2.0.0 Ok: queued as 4Xyz`, `250 OK id=1abc-…`).
    static func queueID(_ reply: SMTPReply) -> String? {
        let text = reply.lines.joined(separator: " ")
        for marker in ["queued as ", "id="] {
            if let range = text.range(of: marker, options: .caseInsensitive) {
                let id = text[range.upperBound...].prefix { !$0.isWhitespace && $0 != ">" && $0 != ")" }
                if !id.isEmpty { return String(id) }
            }
        }
        return nil
    }
}

/// What an EHLO reply offers: STARTTLS, and the AUTH mechanisms (`AUTH PLAIN LOGIN`, or the old `AUTH=LOGIN`).
struct SMTPFeatures: Sendable {
    var startTLS = false
    var authMechanisms: Set<String> = []

    init(_ reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            if keyword == "STARTTLS" { startTLS = true }
            if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
        }
    }
}

/// The step being waited for when its timer fired: the timer closes the connection, and the failure
/// then reads as a timeout of that step rather than as a closed connection.
final class StepDeadline: Sendable {
    private let expired = Mutex<String?>(nil)

    var expiredStep: String? { expired.withLock { $0 } }

    func expire(_ step: String) {
        expired.withLock { $0 = $0 ?? step }
    }
}

/// One SMTP connection as the sender drives it: each command and its reply under the step timeout.
struct SMTPSession {
    /// The connection's streams, kept apart from the session's state so that both can be passed `inout`.
    struct IO {
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    }

    let channel: any Channel
    let timeout: TimeAmount
    let deadline: StepDeadline
    /// Replaced by `recipient` in the server's replies quoted in failure messages.
    let recipient: String
    var isTLS: Bool
    /// The step under way, for failure messages.
    private(set) var step = "connect"
    private var repliesReceived = 0

    init(channel: any Channel, timeout: TimeAmount, deadline: StepDeadline, recipient: String, isTLS: Bool) {
        self.channel = channel
        self.timeout = timeout
        self.deadline = deadline
        self.recipient = recipient
        self.isTLS = isTLS
    }

    /// Sends `line` (nil: only waits, for the greeting) and returns the reply when its code is one
    /// of `expected`; otherwise throws: retriable for 4xx, permanent for anything else.
    @discardableResult
    mutating func command(_ line: String?, step: String, expect expected: Set<Int>, io: inout IO) async throws -> SMTPReply {
        try await exchange(line.map { Array(($0 + "\r\n").utf8) }, step: step, expect: expected, io: &io)
    }

    /// Writes `bytes` as they are (the message after DATA) and checks the reply as ``command(_:step:expect:io:)`` does.
    mutating func write(_ bytes: [UInt8], step: String, expect expected: Set<Int>, io: inout IO) async throws -> SMTPReply {
        try await exchange(bytes, step: step, expect: expected, io: &io)
    }

    private mutating func exchange(_ bytes: [UInt8]?, step: String, expect expected: Set<Int>, io: inout IO) async throws -> SMTPReply {
        self.step = step
        let channel = self.channel
        let deadline = self.deadline
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            deadline.expire(step)
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        if let bytes {
            do {
                try await io.writer.write(ByteBuffer(bytes: bytes))
            } catch {
                // The connection ended before the write (a TLS handshake the server's certificate
                // failed): the reason waits in the inbound stream.
                _ = try await io.replies.next()
                throw error
            }
        }
        guard let reply = try await io.replies.next() else {
            throw SMTPProtocolError(description: "the server closed the connection")
        }
        repliesReceived += 1
        guard expected.contains(reply.code) else {
            let quoted = reply.description.replacingOccurrences(of: recipient, with: "recipient", options: .caseInsensitive)
            throw DeliveryFailure(message: "SMTP \(step): the server answered \(quoted)", isRetriable: (400..<500).contains(reply.code))
        }
        return reply
    }

    /// Puts TLS under the conversation after the server's 220 to STARTTLS: refused when the server
    /// sent anything more in plaintext (RFC 3207, section 6), then the handshake runs under the
    /// next step's timeout.
    mutating func startTLS(context: NIOSSLContext?, host: String) async throws {
        step = "STARTTLS handshake"
        guard let context else { throw SMTPProtocolError(description: "no TLS context") }
        let channel = self.channel
        let received = repliesReceived
        try await channel.eventLoop.submit {
            let decoder = try channel.pipeline.syncOperations.handler(type: SMTPReplyDecoder.self)
            guard decoder.repliesDecoded == received, !decoder.hasPendingBytes else {
                throw SMTPProtocolError(description: "the server sent more after its 220 to STARTTLS")
            }
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: Self.serverName(host)), position: .first
            )
        }.get()
        isTLS = true
    }

    /// The name for SNI and the certificate check; nil for an IP address, which NIOSSL then checks
    /// against the certificate's IP addresses.
    static func serverName(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
