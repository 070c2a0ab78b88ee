import Foundation
import LayarRuntime
import NIOCore
import NIOSSL

/// Where and how ``SMTPSender`` reaches its mail server, read from `LAYAR_EMAIL_URL`,
/// `LAYAR_EMAIL_TLS`, `LAYAR_EMAIL_ACCOUNT`, `LAYAR_EMAIL_TOKEN`, `LAYAR_EMAIL_FROM` and
/// `LAYAR_EMAIL_CA_FILE` (deploy/README.md, Configuration).
struct SMTPSettings: Sendable {
    /// How the connection is protected.
    enum Security: String, Sendable, CaseIterable {
        /// A plain connection upgraded with STARTTLS before anything else is said (port 587).
        case starttls
        /// TLS from the first byte (port 465, `smtps://`).
        case tls
        /// No TLS at all: only for a relay on the loopback interface, and never with credentials.
        case none
    }

    var host: String
    var port: Int
    var security: Security
    /// Empty: no AUTH.
    var username = ""
    var password = ""
    /// The envelope sender (`MAIL FROM`), e.g. `noreply@balangankab.go.id`.
    var fromAddress: String
    /// The `From` header: the address, or `"Name" <address>`.
    var fromHeader: String
    /// The client TLS context (full verification: the system's trust roots plus
    /// `LAYAR_EMAIL_CA_FILE`'s, the certificate's name checked against ``host``); nil for `none`.
    var tls: NIOSSLContext?
    /// How long each step (connecting, each command's reply, the TLS handshake) may take.
    var stepTimeout: TimeAmount = .seconds(30)

    /// The domain of ``fromAddress``: the EHLO name and the right side of every Message-ID.
    var fromDomain: String { String(fromAddress.split(separator: "@").last ?? "localhost") }

    /// Reads the settings of `LAYAR_EMAIL_PROVIDER=smtp` (`url` is `LAYAR_EMAIL_URL`, already read);
    /// nil after adding to `reader`'s problems.
    static func read(url: String, from reader: inout EnvironmentReader) -> SMTPSettings? {
        let problemsBefore = reader.problems.count
        let endpoint = endpoint(url)
        if endpoint == nil && !url.isEmpty {
            reader.problems.append(
                "LAYAR_EMAIL_URL=\(url) is invalid: expected smtp://host:587 (STARTTLS) or smtps://host:465 (TLS), without user or path"
            )
        }
        let securityName = reader.choice(
            "LAYAR_EMAIL_TLS", default: endpoint?.scheme == "smtps" ? "tls" : "starttls", among: Security.allCases.map(\.rawValue)
        )
        let security = Security(rawValue: securityName) ?? .starttls
        // Required for smtp only (not `reader.required`, which would make it required of every deployment).
        let from = reader.optional("LAYAR_EMAIL_FROM", default: "")
        let sender = sender(from)
        if from.isEmpty {
            reader.problems.append("LAYAR_EMAIL_FROM is not set: the sender of the smtp provider, e.g. LAYAR <noreply@balangankab.go.id>")
        } else if sender == nil {
            reader.problems.append(
                "LAYAR_EMAIL_FROM=\(from) is invalid: expected an address like noreply@example.go.id or Name <noreply@example.go.id>"
            )
        }
        let username = reader.optional("LAYAR_EMAIL_ACCOUNT", default: "")
        let password = reader.optional("LAYAR_EMAIL_TOKEN", default: "")
        if !username.isEmpty && password.isEmpty {
            reader.problems.append("LAYAR_EMAIL_TOKEN is not set: the SMTP password of LAYAR_EMAIL_ACCOUNT=\(username)")
        }
        if username.isEmpty && !password.isEmpty {
            reader.problems.append("LAYAR_EMAIL_TOKEN is set without LAYAR_EMAIL_ACCOUNT: the SMTP user name is missing")
        }
        if let endpoint, endpoint.scheme == "smtps" && security != .tls {
            reader.problems.append(
                "LAYAR_EMAIL_TLS=\(securityName) contradicts LAYAR_EMAIL_URL=\(url): smtps:// is TLS from the first byte"
            )
        }
        if security == .none {
            if let endpoint, !isLoopback(endpoint.host) {
                reader.problems.append(
                    "LAYAR_EMAIL_TLS=none is allowed only for a relay on this machine (127.0.0.1, ::1, localhost), not \(endpoint.host)"
                )
            }
            if !username.isEmpty {
                reader.problems.append("LAYAR_EMAIL_TLS=none with LAYAR_EMAIL_ACCOUNT set: credentials are only ever sent over TLS")
            }
        }
        let caFile = reader.optional("LAYAR_EMAIL_CA_FILE", default: "")
        var tls: NIOSSLContext?
        if security != .none {
            do {
                tls = try tlsContext(caFile: caFile)
            } catch {
                reader.problems.append(
                    caFile.isEmpty
                        ? "the TLS client of the smtp provider cannot be set up: \(error)"
                        : "LAYAR_EMAIL_CA_FILE=\(caFile) is not a readable PEM file of CA certificates: \(error)"
                )
            }
        }
        guard reader.problems.count == problemsBefore, let endpoint, let sender else { return nil }
        return SMTPSettings(
            host: endpoint.host, port: endpoint.port, security: security, username: username, password: password,
            fromAddress: sender.address, fromHeader: sender.header, tls: tls
        )
    }

    /// `smtp://host[:port]` or `smtps://host[:port]` (587 and 465 when left out); an IPv6 host in brackets.
    static func endpoint(_ url: String) -> (scheme: String, host: String, port: Int)? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", components.user == nil, components.password == nil,
            components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil,
            let rawHost = components.host, !rawHost.isEmpty
        else { return nil }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let port = components.port ?? (scheme == "smtps" ? 465 : 587)
        guard (1...65535).contains(port) else { return nil }
        return (scheme, host, port)
    }

    /// `noreply@x.go.id` or `Name <noreply@x.go.id>`: the address and the `From` header.
    static func sender(_ from: String) -> (address: String, header: String)? {
        let trimmed = from.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            return isPlainAddress(trimmed) ? (trimmed, trimmed) : nil
        }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard isPlainAddress(address) else { return nil }
        guard !name.isEmpty else { return (address, address) }
        let ascii = name.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) && $0 != "\"" && $0 != "\\" }
        return (address, (ascii ? "\"\(name)\"" : SMTPMessageFormat.headerText(name)) + " <\(address)>")
    }

    /// An address SMTP can carry as it is: printable ASCII, no spaces or brackets, `local@domain`.
    static func isPlainAddress(_ address: String) -> Bool {
        let forbidden = Set("<>()[],;:\\\" ")
        guard address.unicodeScalars.allSatisfy({ (0x21..<0x7F).contains($0.value) }), !address.contains(where: forbidden.contains)
        else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !parts[1].contains("..")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    /// `localhost`, `::1` or an address in 127.0.0.0/8.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil } && parts[0] == "127"
    }

    /// TLS 1.2 or later with full verification, trusting the system's roots and `caFile`'s.
    static func tlsContext(caFile: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if !caFile.isEmpty {
            let authorities = try NIOSSLCertificate.fromPEMFile(caFile)
            guard !authorities.isEmpty else { throw SMTPProtocolError(description: "no certificate in it") }
            configuration.additionalTrustRoots = [.certificates(authorities)]
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
