import GRPCCore
import GRPCNIOTransportHTTP2

/// A `host:port` of a LAYAR service's gRPC API.
public struct ServiceAddress: Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `nil` when malformed.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }

    public init(stringLiteral value: String) {
        self = ServiceAddress(value)!
    }

    public var description: String { "\(host):\(port)" }

    /// Runs `body` with a plaintext HTTP/2 client connected to this address, closing it afterwards.
    public func withClient<Result: Sendable>(
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .dns(host: host, port: port), transportSecurity: .plaintext)
        ) { client in
            try await body(client)
        }
    }
}
