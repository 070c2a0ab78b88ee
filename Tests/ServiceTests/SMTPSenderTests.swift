import Foundation
import LayarDomain
import LayarRuntime
import LayarTestSupport
import Testing

@testable import LayarNotification

/// The SMTP e-mail sender against a real SMTP server on 127.0.0.1 speaking STARTTLS or TLS with a
/// CA made for the test, and its configuration from `LAYAR_EMAIL_*`.
@Suite("SMTP sender")
struct SMTPSenderTests {
    /// Friday 4 December 2026, 10:00 WITA (02:00 UTC): the instant every e-mail is dated.
    static let fridayMorning = TestClock(CivilDate(year: 2026, month: 12, day: 4), hour: 10)

    static let from = "LAYAR Balangan <noreply@layar.balangankab.go.id>"

    static func environment(
        _ server: LocalSMTPServer, _ authority: TestCertificateAuthority, implicitTLS: Bool = false, _ changes: [String: String?] = [:]
    ) -> [String: String] {
        var environment = [
            "LAYAR_EMAIL_PROVIDER": "smtp", "LAYAR_EMAIL_URL": server.url(implicitTLS: implicitTLS), "LAYAR_EMAIL_FROM": from,
            "LAYAR_EMAIL_ACCOUNT": "layar", "LAYAR_EMAIL_TOKEN": "rahasia-smtp", "LAYAR_EMAIL_CA_FILE": authority.caFile,
        ]
        for (name, value) in changes { environment[name] = value }
        return environment
    }

    /// The e-mail sender built the way the service builds it, or with a shorter step timeout.
    static func sender(_ environment: [String: String], stepTimeoutMilliseconds: Int64? = nil) throws -> any MessageSender {
        let configuration = try NotificationConfiguration.fromEnvironment(environment)
        if let stepTimeoutMilliseconds {
            var settings = try #require(configuration.providers[.email]?.smtp)
            settings.stepTimeout = .milliseconds(stepTimeoutMilliseconds)
            return SMTPSender(settings: settings, clock: fridayMorning.clock)
        }
        let senders = configuration.senders(client: .shared, logger: TestEnvironment.logger, clock: fridayMorning.clock)
        return try #require(senders[.email])
    }

    /// Sends and returns the failure it must end in.
    static func failure(_ sender: any MessageSender, _ message: OutgoingMessage = message) async throws -> DeliveryFailure {
        do {
            let id = try await sender.send(message)
            Issue.record("sent (\(id)) where a failure was expected")
            throw DeliveryFailure(message: "sent", isRetriable: false)
        } catch let failure as DeliveryFailure {
            return failure
        }
    }

    static let message = OutgoingMessage(
        id: "9f1c2b7e-5a43-4d0e-b1c8-2f6a9e3d7c10", to: "warga.paringin@example.id",
        text: "Yth. Bapak/Ibu,\nrujukan LYR-ABCD-EFGH sudah diverifikasi.\n.baris ini diawali titik\n..dan ini dua titik\nTerima kasih.",
        subject: "Rujukan Anda sudah diverifikasi — langkah berikutnya ke Dinas Sosial Kabupaten Balangan"
    )

    @Test("a message goes through STARTTLS and AUTH PLAIN: one message received, headers and body as sent, a re-send keeps its Message-ID")
    func startTLSAndAuth() async throws {
        let authority = try TestCertificateAuthority()
        let server = try await LocalSMTPServer(authority: authority)
        let sender = try Self.sender(Self.environment(server, authority))
        #expect(try await sender.send(Self.message) == "Q1", "the queue id from the 250 after the message")

        try #require(server.received.count == 1)
        let received = server.received[0]
        #expect(received.envelopeFrom == "noreply@layar.balangankab.go.id" && received.recipients == [Self.message.to])
        #expect(received.overTLS && received.authenticatedAs == "layar")
        let verbs = server.commands.map(\.verb)
        #expect(verbs == ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"])
        #expect(server.commands.dropFirst(2).allSatisfy { $0.overTLS }, "everything after STARTTLS went over TLS")

        let mail = try ReceivedMail(received.data)
        #expect(mail.header("Subject") == Self.message.subject)
        #expect(mail.rawHeader("Subject")?.hasPrefix("=?UTF-8?B?") == true, "a subject that is not ASCII is RFC 2047-encoded")
        #expect(mail.header("Message-ID") == "<\(Self.message.id)@layar.balangankab.go.id>")
        #expect(mail.header("Date") == "Fri, 04 Dec 2026 02:00:00 +0000", "dated by the injected clock")
        #expect(mail.header("From") == "\"LAYAR Balangan\" <noreply@layar.balangankab.go.id>")
        #expect(mail.header("To") == Self.message.to)
        #expect(mail.header("MIME-Version") == "1.0" && mail.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(mail.header("Content-Transfer-Encoding") == "base64")
        #expect(mail.bodyLines.allSatisfy { $0.count <= 76 })
        #expect(mail.body == Self.message.text.replacingOccurrences(of: "\n", with: "\r\n"), "the dot lines intact")

        // A re-send after a crash carries the same Message-ID.
        #expect(try await sender.send(Self.message) == "Q2")
        try #require(server.received.count == 2)
        #expect(try ReceivedMail(server.received[1].data).header("Message-ID") == mail.header("Message-ID"))
        try await server.stop()
        authority.remove()
    }

    @Test("a server that does not offer STARTTLS: a permanent failure, no credentials and no message sent")
    func noSTARTTLS() async throws {
        let authority = try TestCertificateAuthority()
        var options = LocalSMTPServer.Options()
        options.offersSTARTTLS = false
        options.offersAuthWithoutTLS = true  // and offers AUTH in plaintext, which must not tempt the sender
        let server = try await LocalSMTPServer(options: options, authority: authority)
        let failure = try await Self.failure(try Self.sender(Self.environment(server, authority)))
        #expect(!failure.isRetriable && failure.message.contains("STARTTLS"))
        #expect(server.commands.map(\.verb) == ["EHLO"])
        #expect(server.received.isEmpty && !failure.message.contains("rahasia"))
        try await server.stop()
        authority.remove()
    }

    @Test("4xx replies are retriable, 5xx permanent; the failure names the step and quotes the reply, without the recipient or password")
    func replyCodes() async throws {
        let authority = try TestCertificateAuthority()
        let cases: [(LocalSMTPServer.Step, String, retriable: Bool, step: String)] = [
            (.rcpt, "451 4.3.0 <warga.paringin@example.id>: Try again later", true, "RCPT TO"),
            (.rcpt, "550 5.1.1 <warga.paringin@example.id>: Recipient address rejected", false, "RCPT TO"),
            (.greeting, "421 4.3.2 Service not available, closing channel", true, "greeting"),
            (.auth, "535 5.7.8 Authentication credentials invalid", false, "AUTH PLAIN"),
            (.message, "552 5.3.4 Message too big", false, "message"),
        ]
        for (step, reply, retriable, stepName) in cases {
            var options = LocalSMTPServer.Options()
            options.replies = [step: reply]
            let server = try await LocalSMTPServer(options: options, authority: authority)
            let failure = try await Self.failure(try Self.sender(Self.environment(server, authority)))
            #expect(failure.isRetriable == retriable, "\(reply)")
            let quoted = failure.message.contains("SMTP \(stepName):") && failure.message.contains(String(reply.prefix(3)))
            #expect(quoted, "\(failure.message)")
            #expect(!failure.message.contains("warga.paringin") && !failure.message.contains("rahasia"), "\(failure.message)")
            #expect(server.received.isEmpty)
            try await server.stop()
        }
        authority.remove()
    }

    @Test("plaintext injected after the 220 to STARTTLS: the sender stops before TLS, nothing sent")
    func injectionAfterSTARTTLS() async throws {
        let authority = try TestCertificateAuthority()
        var options = LocalSMTPServer.Options()
        options.injectedAfterSTARTTLS = "250-localhost\r\n250 AUTH PLAIN"
        let server = try await LocalSMTPServer(options: options, authority: authority)
        _ = try await Self.failure(try Self.sender(Self.environment(server, authority)))
        #expect(server.commands.map(\.verb) == ["EHLO", "STARTTLS"] && server.received.isEmpty)
        try await server.stop()
        authority.remove()
    }

    @Test("a certificate from a CA the sender does not trust, or for another name: a permanent failure, no credentials and no message sent")
    func untrustedCertificate() async throws {
        let authority = try TestCertificateAuthority()
        let server = try await LocalSMTPServer(authority: authority)
        let failure = try await Self.failure(try Self.sender(Self.environment(server, authority, ["LAYAR_EMAIL_CA_FILE": nil])))
        #expect(!failure.isRetriable && failure.message.contains("TLS"), "\(failure.message)")
        #expect(server.commands.map(\.verb) == ["EHLO", "STARTTLS"], "nothing said after the handshake failed")
        #expect(server.received.isEmpty)
        try await server.stop()
        authority.remove()

        // A trusted CA, but a certificate for another name than the address connected to.
        let elsewhere = try TestCertificateAuthority(serverName: "mail.example.org", serverAddress: nil)
        let misnamed = try await LocalSMTPServer(authority: elsewhere)
        let refused = try await Self.failure(try Self.sender(Self.environment(misnamed, elsewhere)))
        #expect(!refused.isRetriable && refused.message.contains("TLS"), "\(refused.message)")
        #expect(misnamed.commands.map(\.verb) == ["EHLO", "STARTTLS"] && misnamed.received.isEmpty)
        try await misnamed.stop()
        elsewhere.remove()
    }

    @Test("TLS from the first byte (smtps://) with AUTH LOGIN when only LOGIN is offered")
    func implicitTLS() async throws {
        let authority = try TestCertificateAuthority()
        var options = LocalSMTPServer.Options()
        options.implicitTLS = true
        options.authMechanisms = ["LOGIN"]
        let server = try await LocalSMTPServer(options: options, authority: authority)
        #expect(try await Self.sender(Self.environment(server, authority, implicitTLS: true)).send(Self.message) == "Q1")
        try #require(server.received.count == 1)
        #expect(server.received[0].overTLS && server.received[0].authenticatedAs == "layar")
        #expect(server.commands.map(\.verb) == ["EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"])
        #expect(server.commands.allSatisfy { $0.overTLS })
        try await server.stop()
        authority.remove()
    }

    @Test("plain SMTP (LAYAR_EMAIL_TLS=none) to a relay on loopback, without credentials")
    func plainOnLoopback() async throws {
        let authority = try TestCertificateAuthority()
        var options = LocalSMTPServer.Options()
        options.requiresAuth = false
        let server = try await LocalSMTPServer(options: options, authority: authority)
        let environment = Self.environment(
            server, authority, ["LAYAR_EMAIL_TLS": "none", "LAYAR_EMAIL_ACCOUNT": nil, "LAYAR_EMAIL_TOKEN": nil, "LAYAR_EMAIL_CA_FILE": nil]
        )
        #expect(try await Self.sender(environment).send(Self.message) == "Q1")
        try #require(server.received.count == 1)
        #expect(!server.received[0].overTLS && server.received[0].authenticatedAs == nil)
        try await server.stop()
        authority.remove()
    }

    @Test("a server that stops answering: a retriable failure after the step's timeout, naming the step")
    func stepTimeout() async throws {
        let authority = try TestCertificateAuthority()
        var options = LocalSMTPServer.Options()
        options.replies = [.mail: ""]
        let server = try await LocalSMTPServer(options: options, authority: authority)
        let started = ContinuousClock.now
        let failure = try await Self.failure(try Self.sender(Self.environment(server, authority), stepTimeoutMilliseconds: 2000))
        #expect(failure.isRetriable && failure.message.contains("SMTP MAIL FROM: no answer"), "\(failure.message)")
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(server.received.isEmpty)
        try await server.stop()
        authority.remove()
    }

    @Test(
        "configuration: smtp needs FROM; none only on loopback and never with credentials; bad URL, TLS mode or CA file are refused by name"
    )
    func refusedConfiguration() throws {
        let base = [
            "LAYAR_EMAIL_PROVIDER": "smtp", "LAYAR_EMAIL_URL": "smtp://mail.balangankab.go.id",
            "LAYAR_EMAIL_FROM": "noreply@balangankab.go.id",
        ]
        func problems(_ changes: [String: String?]) -> [String] {
            var environment = base
            for (name, value) in changes { environment[name] = value }
            do {
                _ = try NotificationConfiguration.fromEnvironment(environment)
                return []
            } catch let error as ConfigurationError {
                return error.problems
            } catch {
                return ["\(error)"]
            }
        }
        func refused(_ changes: [String: String?], naming variable: String) {
            let found = problems(changes)
            #expect(found.contains { $0.hasPrefix(variable) }, "\(changes): \(found)")
        }
        refused(["LAYAR_EMAIL_FROM": nil], naming: "LAYAR_EMAIL_FROM is not set")
        refused(["LAYAR_EMAIL_FROM": "not an address"], naming: "LAYAR_EMAIL_FROM=")
        refused(["LAYAR_EMAIL_TLS": "none"], naming: "LAYAR_EMAIL_TLS=none")
        refused(["LAYAR_EMAIL_TLS": "ssl"], naming: "LAYAR_EMAIL_TLS=ssl")
        refused(["LAYAR_EMAIL_URL": "https://mail.balangankab.go.id"], naming: "LAYAR_EMAIL_URL=")
        refused(["LAYAR_EMAIL_URL": "smtp://user:secret@mail.balangankab.go.id:587"], naming: "LAYAR_EMAIL_URL=")
        refused(["LAYAR_EMAIL_URL": "smtps://mail.balangankab.go.id", "LAYAR_EMAIL_TLS": "starttls"], naming: "LAYAR_EMAIL_TLS=starttls")
        refused(["LAYAR_EMAIL_URL": nil], naming: "LAYAR_EMAIL_URL is not set")
        refused(
            ["LAYAR_EMAIL_URL": "smtp://127.0.0.1:25", "LAYAR_EMAIL_TLS": "none", "LAYAR_EMAIL_ACCOUNT": "layar", "LAYAR_EMAIL_TOKEN": "x"],
            naming: "LAYAR_EMAIL_TLS=none with LAYAR_EMAIL_ACCOUNT"
        )
        refused(["LAYAR_EMAIL_ACCOUNT": "layar"], naming: "LAYAR_EMAIL_TOKEN is not set")
        refused(["LAYAR_EMAIL_CA_FILE": "/nonexistent/ca.pem"], naming: "LAYAR_EMAIL_CA_FILE=/nonexistent/ca.pem")

        // What is accepted, and the defaults.
        #expect(problems([:]).isEmpty && problems(["LAYAR_EMAIL_URL": "smtp://127.0.0.1:2525", "LAYAR_EMAIL_TLS": "none"]).isEmpty)
        let submission = try #require(try NotificationConfiguration.fromEnvironment(base).providers[.email]?.smtp)
        #expect(submission.security == .starttls && submission.port == 587 && submission.host == "mail.balangankab.go.id")
        var implicit = base
        implicit["LAYAR_EMAIL_URL"] = "smtps://mail.balangankab.go.id"
        let smtps = try #require(try NotificationConfiguration.fromEnvironment(implicit).providers[.email]?.smtp)
        #expect(smtps.security == .tls && smtps.port == 465)
    }

    @Test("the message text: dot-stuffing, RFC 2047 words of at most 75 characters, base64 lines of 76, the RFC 5322 date")
    func messageFormat() throws {
        #expect(SMTPMessageFormat.dataBlock("a\r\n.b\r\n..c\r\n") == Array("a\r\n..b\r\n...c\r\n.\r\n".utf8))
        let subject = String(repeating: "Pemberitahuan penting — rujukan Anda di Dinas Sosial Balangan ✓ ", count: 4)
        let encoded = SMTPMessageFormat.headerText(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        #expect(ReceivedMail.decodedWords(encoded) == subject)
        #expect(SMTPMessageFormat.headerText("Line\r\nInjected: header") == "Line Injected: header")
        #expect(SMTPMessageFormat.base64Lines(String(repeating: "x", count: 300)).allSatisfy { $0.count <= 76 })
        #expect(SMTPMessageFormat.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(SMTPSender.queueID(SMTPReply(code: 250, lines: ["2.0.0 Ok: queued as 4XyZ12"])) == "4XyZ12")
        #expect(SMTPSender.queueID(SMTPReply(code: 250, lines: ["OK"])) == nil)
    }
}

/// A received message taken apart: unfolded headers, RFC 2047 words decoded, the base64 body decoded.
struct ReceivedMail {
    var headers: [(name: String, value: String)] = []
    var bodyLines: [String]

    init(_ data: String) throws {
        let parts = data.components(separatedBy: "\r\n\r\n")
        try #require(parts.count >= 2)
        for line in parts[0].components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !headers.isEmpty {
                headers[headers.count - 1].value += line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        bodyLines = parts.dropFirst().joined(separator: "\r\n\r\n").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func rawHeader(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func header(_ name: String) -> String? {
        rawHeader(name).map(Self.decodedWords)
    }

    var body: String? {
        Data(base64Encoded: bodyLines.joined()).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `=?UTF-8?B?…?=` words (whitespace between them dropped, RFC 2047 section 6.2) decoded.
    static func decodedWords(_ value: String) -> String {
        let words = value.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty, words.allSatisfy({ $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") }) else { return value }
        let bytes = words.flatMap { Data(base64Encoded: String($0.dropFirst(10).dropLast(2))) ?? Data() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
