import Hummingbird
import LayarRuntime

/// Puts the client's address in the request context: the TCP peer, or, when the peer is a
/// trusted proxy, the address it forwards (``TrustedProxies``). Runs first, so every limit and
/// log line counts the client, not the ingress.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let forwarded = TrustedProxies.forwardedAddresses(
            xForwardedFor: request.headers[.init("X-Forwarded-For")!], forwarded: request.headers[.init("Forwarded")!]
        )
        context.clientAddress = trusted.clientAddress(peer: context.peerAddress, forwardedFor: forwarded)
        // The services' calls made for this request name the client too.
        return try await ForwardedForClientInterceptor.$clientAddress.withValue(context.clientAddress) {
            try await next(request, context)
        }
    }
}
