import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A real SMTP server on 127.0.0.1 standing in for a mail provider: EHLO (STARTTLS offered on a
/// plain connection, AUTH PLAIN and LOGIN once under TLS), STARTTLS or TLS from the first byte,
/// AUTH against one user and password, MAIL, RCPT, DATA (dot-stuffing undone), RSET, NOOP, QUIT.
/// It records every command and every accepted message, and can be told to answer otherwise at a
/// step (a 451 at RCPT, a 421 greeting) or not at all (a hung server).
public final class LocalSMTPServer: Sendable {
    /// A point of the dialogue where ``Options/replies`` can change the answer.
    public enum Step: String, Sendable {
        case greeting, ehlo, starttls, auth, mail, rcpt, data
        /// The reply after the message's final ".".
        case message
    }

    public struct Options: Sendable {
        /// TLS from the first byte (the `smtps://` port) instead of STARTTLS.
        public var implicitTLS = false
        /// Whether EHLO offers STARTTLS on a plain connection.
        public var offersSTARTTLS = true
        /// The AUTH mechanisms offered under TLS.
        public var authMechanisms = ["PLAIN", "LOGIN"]
        /// Offer AUTH on a plain connection too (a careless server).
        public var offersAuthWithoutTLS = false
        /// Whether MAIL needs AUTH first.
        public var requiresAuth = true
        public var username = "layar"
        public var password = "rahasia-smtp"
        /// Plaintext sent right after the 220 to STARTTLS, in the same write (a man in the middle
        /// injecting replies, RFC 3207 section 6).
        public var injectedAfterSTARTTLS: String?
        /// Replies given instead of the normal one, e.g. `[.rcpt: "451 4.3.0 Try again later"]`;
        /// an empty string means no reply at all. A 4xx or 5xx greeting closes the connection.
        public var replies: [Step: String] = [:]

        public init() {}
    }

    /// A message the server accepted.
    public struct Received: Sendable {
        public var envelopeFrom: String
        public var recipients: [String]
        /// The message as the client meant it: dot-stuffing undone, CRLF line ends.
        public var data: String
        public var overTLS: Bool
        /// The user that authenticated on the connection, if any.
        public var authenticatedAs: String?
    }

    /// A command received: its verb only (never an AUTH's credentials) and whether TLS was on.
    public struct Command: Sendable, Equatable {
        public var verb: String
        public var overTLS: Bool
    }

    final class Log: Sendable {
        let received = Mutex<[Received]>([])
        let commands = Mutex<[Command]>([])
    }

    private let channel: any Channel
    private let log = Log()
    public let port: Int

    /// Starts the server with the certificate `authority` signed.
    public init(options: Options = Options(), authority: TestCertificateAuthority) async throws {
        let log = self.log
        let tls = authority.serverContext
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if options.implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(Handler(options: options, log: log, tls: tls))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// `smtp://127.0.0.1:<port>`, or `smtps://…` for implicit TLS.
    public func url(implicitTLS: Bool = false) -> String {
        "\(implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)"
    }

    public var received: [Received] { log.received.withLock { $0 } }
    public var commands: [Command] { log.commands.withLock { $0 } }

    public func stop() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        enum State {
            case command, authPlain, authLoginUser, authLoginPassword(user: String), data
        }

        let options: Options
        let log: Log
        let tls: NIOSSLContext
        var buffer = ByteBuffer()
        var state = State.command
        var overTLS: Bool
        var authenticatedAs: String?
        var envelopeFrom: String?
        var recipients: [String] = []
        var lines: [String] = []

        init(options: Options, log: Log, tls: NIOSSLContext) {
            self.options = options
            self.log = log
            self.tls = tls
            overTLS = options.implicitTLS
        }

        func channelActive(context: ChannelHandlerContext) {
            if let scripted = options.replies[.greeting] {
                if !scripted.isEmpty { reply(context, scripted, thenClose: scripted.hasPrefix("4") || scripted.hasPrefix("5")) }
                return
            }
            reply(context, "220 localhost ESMTP LAYAR stand-in")
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)  // a failed TLS handshake, a reset
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            buffer.writeBuffer(&incoming)
            while let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")),
                var bytes = buffer.readBytes(length: end - buffer.readerIndex + 1)
            {
                bytes.removeLast()
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                if !handle(context, String(decoding: bytes, as: UTF8.self)) {
                    buffer.clear()  // STARTTLS: whatever came after it in plaintext is dropped
                    return
                }
            }
            buffer.discardReadBytes()
        }

        /// Handles one line; false when the connection switched to TLS.
        private func handle(_ context: ChannelHandlerContext, _ line: String) -> Bool {
            switch state {
            case .data:
                if line == "." {
                    state = .command
                    finishMessage(context)
                } else {
                    lines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
                }
            case .authPlain:
                state = .command
                checkPlain(context, line)
            case .authLoginUser:
                state = .authLoginPassword(user: decoded(line) ?? "")
                reply(context, "334 UGFzc3dvcmQ6")
            case .authLoginPassword(let user):
                state = .command
                check(context, user: user, password: decoded(line) ?? "")
            case .command:
                return command(context, line)
            }
            return true
        }

        private func command(_ context: ChannelHandlerContext, _ line: String) -> Bool {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            let verb = words.first?.uppercased() ?? ""
            let argument = words.count > 1 ? words[1] : ""
            log.commands.withLock { $0.append(Command(verb: verb, overTLS: overTLS)) }
            let step: Step? = switch verb {
            case "EHLO", "HELO": .ehlo
            case "STARTTLS": .starttls
            case "AUTH": .auth
            case "MAIL": .mail
            case "RCPT": .rcpt
            case "DATA": .data
            default: nil
            }
            if let step, let scripted = options.replies[step] {
                if !scripted.isEmpty { reply(context, scripted) }
                return true
            }
            switch verb {
            case "EHLO":
                reset()
                var lines = ["localhost greets \(argument)", "SIZE 10485760", "8BITMIME"]
                if !overTLS && options.offersSTARTTLS { lines.append("STARTTLS") }
                if overTLS || options.offersAuthWithoutTLS { lines.append("AUTH " + options.authMechanisms.joined(separator: " ")) }
                lines.append("ENHANCEDSTATUSCODES")
                let last = lines.count - 1
                reply(context, lines.enumerated().map { "250\($0.offset == last ? " " : "-")\($0.element)" }.joined(separator: "\r\n"))
            case "STARTTLS" where overTLS || !options.offersSTARTTLS:
                reply(context, "502 5.5.1 STARTTLS not available")
            case "STARTTLS":
                reply(context, "220 2.0.0 Ready to start TLS" + (options.injectedAfterSTARTTLS.map { "\r\n" + $0 } ?? ""))
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    context.close(promise: nil)
                }
                overTLS = true
                authenticatedAs = nil
                reset()
                return false
            case "AUTH":
                auth(context, argument)
            case "MAIL":
                guard authenticatedAs != nil || !options.requiresAuth else { return replied(context, "530 5.7.0 Authentication required") }
                reset()
                envelopeFrom = Self.address(argument, after: "FROM:")
                reply(context, envelopeFrom == nil ? "501 5.5.4 Syntax: MAIL FROM:<address>" : "250 2.1.0 Ok")
            case "RCPT":
                guard envelopeFrom != nil else { return replied(context, "503 5.5.1 MAIL first") }
                guard let recipient = Self.address(argument, after: "TO:") else {
                    return replied(context, "501 5.5.4 Syntax: RCPT TO:<address>")
                }
                recipients.append(recipient)
                reply(context, "250 2.1.5 Ok")
            case "DATA":
                guard !recipients.isEmpty else { return replied(context, "503 5.5.1 RCPT first") }
                lines = []
                state = .data
                reply(context, "354 End data with <CR><LF>.<CR><LF>")
            case "RSET":
                reset()
                reply(context, "250 2.0.0 Ok")
            case "NOOP":
                reply(context, "250 2.0.0 Ok")
            case "QUIT":
                reply(context, "221 2.0.0 Bye", thenClose: true)
            default:
                reply(context, "502 5.5.2 Command not recognized")
            }
            return true
        }

        private func auth(_ context: ChannelHandlerContext, _ argument: String) {
            let parts = argument.split(separator: " ").map(String.init)
            let mechanism = parts.first?.uppercased() ?? ""
            guard overTLS || options.offersAuthWithoutTLS else { return reply(context, "538 5.7.11 Encryption required") }
            guard authenticatedAs == nil else { return reply(context, "503 5.5.1 Already authenticated") }
            guard options.authMechanisms.contains(mechanism) else { return reply(context, "504 5.5.4 Unrecognized mechanism") }
            if mechanism == "PLAIN" {
                if parts.count > 1 { return checkPlain(context, parts[1]) }
                state = .authPlain
                reply(context, "334 ")
            } else {
                state = .authLoginUser
                reply(context, "334 VXNlcm5hbWU6")
            }
        }

        private func checkPlain(_ context: ChannelHandlerContext, _ token: String) {
            let fields = Data(base64Encoded: token).map { $0.split(separator: 0, omittingEmptySubsequences: false) } ?? []
            guard fields.count == 3 else { return reply(context, "501 5.5.2 Cannot decode the response") }
            check(context, user: String(decoding: fields[1], as: UTF8.self), password: String(decoding: fields[2], as: UTF8.self))
        }

        private func check(_ context: ChannelHandlerContext, user: String, password: String) {
            guard user == options.username && password == options.password else {
                return reply(context, "535 5.7.8 Authentication credentials invalid")
            }
            authenticatedAs = user
            reply(context, "235 2.7.0 Authentication successful")
        }

        private func finishMessage(_ context: ChannelHandlerContext) {
            let answer = options.replies[.message] ?? "250 2.0.0 Ok: queued as Q\(log.received.withLock { $0.count } + 1)"
            if answer.hasPrefix("2") {
                let message = Received(
                    envelopeFrom: envelopeFrom ?? "", recipients: recipients, data: lines.map { $0 + "\r\n" }.joined(), overTLS: overTLS,
                    authenticatedAs: authenticatedAs
                )
                log.received.withLock { $0.append(message) }
            }
            reset()
            if !answer.isEmpty { reply(context, answer) }
        }

        private func reset() {
            envelopeFrom = nil
            recipients = []
            lines = []
        }

        private func decoded(_ base64: String) -> String? {
            Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
        }

        /// `<address>` after `FROM:` or `TO:` (parameters after it are ignored).
        static func address(_ argument: String, after prefix: String) -> String? {
            guard argument.uppercased().hasPrefix(prefix), let open = argument.firstIndex(of: "<"),
                let close = argument[open...].firstIndex(of: ">")
            else { return nil }
            return String(argument[argument.index(after: open)..<close])
        }

        private func replied(_ context: ChannelHandlerContext, _ text: String) -> Bool {
            reply(context, text)
            return true
        }

        private func reply(_ context: ChannelHandlerContext, _ text: String, thenClose: Bool = false) {
            let written = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")))
            if thenClose {
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
