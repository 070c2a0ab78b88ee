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
    /// With `bearerToken`, every call carries it (unless the call sets its own `authorization`).
    public func withClient<Result: Sendable>(
        bearerToken: String? = nil, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .dns(host: host, port: port), transportSecurity: .plaintext),
            interceptors: bearerToken.map { [BearerTokenClientInterceptor(token: $0)] } ?? []
        ) { client in
            try await body(client)
        }
    }
}

/// Adds `authorization: Bearer <token>` to calls that do not carry an `authorization` of their own.
public struct BearerTokenClientInterceptor: ClientInterceptor {
    public let token: String

    public init(token: String) {
        self.token = token
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        if request.metadata.firstString("authorization") == nil { request.metadata.addString("Bearer \(token)", forKey: "authorization") }
        return try await next(request, context)
    }
}
