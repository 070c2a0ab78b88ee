import Hummingbird
import LayarRuntime

/// Keeps `/metrics` (request counts per route, pool and hashing figures) off the public side: a
/// request that arrives through the ingress, whose TCP peer is a trusted proxy, gets 404 as for
/// any unknown path; Prometheus scrapes the pod directly and is answered. The health routes stay
/// open: the orchestrator's probes and the ingress's checks need them.
struct MetricsExposureMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/metrics", let peer = context.peerAddress, trusted.isTrusted(peer) {
            throw HTTPError(.notFound)
        }
        return try await next(request, context)
    }
}
