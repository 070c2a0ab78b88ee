import Foundation
import GRPCCore

/// Limits the public RPCs (no account to limit) per client and for everyone together, counted in
/// the service's PostgreSQL schema (``RateLimiter``), so the limits hold across replicas: a
/// client probing tracking codes, or flooding submissions, straight at the service meets
/// RESOURCE_EXHAUSTED as it would at the portal. The client is the gRPC peer, or, when the peer is
/// a trusted caller (the portal, `LAYAR_TRUSTED_CALLERS`), the address it forwards in
/// `x-forwarded-for`. Calls with a staff token (an operator's walk-in) are not counted.
public struct PublicCallLimitInterceptor: ServerInterceptor {
    public var limiter: RateLimiter
    public var trustedCallers: TrustedProxies
    public var perClient: RateLimiter.Rule
    public var ceiling: RateLimiter.Rule

    public init(limiter: RateLimiter, trustedCallers: TrustedProxies, perClient: Int, ceiling: Int, window: Duration = .seconds(600)) {
        self.limiter = limiter
        self.trustedCallers = trustedCallers
        self.perClient = .init(name: "public-rpc", limit: perClient, window: window)
        self.ceiling = .init(name: "public-rpc-all", limit: ceiling, window: window)
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard StaffIdentity.current == nil else { return try await next(request, context) }
        let forwarded = TrustedProxies.forwardedAddresses(
            xForwardedFor: request.metadata[stringValues: "x-forwarded-for"].joined(separator: ","), forwarded: nil
        )
        let client = trustedCallers.clientAddress(peer: Self.address(ofPeer: context.remotePeer), forwardedFor: forwarded) ?? "unknown"
        guard try await limiter.admit(client, perClient), try await limiter.admit("*", ceiling) else {
            throw RPCError(
                code: .resourceExhausted,
                message: "Terlalu banyak permintaan dari sambungan ini. Coba lagi dalam \(perClient.window.components.seconds / 60) menit."
            )
        }
        return try await next(request, context)
    }

    /// The IP address in grpc-swift's peer description (`ipv4:10.0.0.7:51234`, `ipv6:[::1]:51234`).
    static func address(ofPeer peer: String) -> String? {
        if peer.hasPrefix("ipv4:") {
            return peer.dropFirst(5).split(separator: ":").first.map(String.init)
        }
        if peer.hasPrefix("ipv6:"), let open = peer.firstIndex(of: "["), let close = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: open)..<close])
        }
        return nil
    }
}
