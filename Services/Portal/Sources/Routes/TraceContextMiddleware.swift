import Hummingbird
import LayarRuntime

/// Each page request continues the caller's W3C trace (a `traceparent` header from a proxy) or
/// starts one; the gRPC calls it makes carry it to the services, so a citizen's submission can
/// be followed from the portal through every service's logs.
struct TraceContextMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var incoming = TracingContext.topLevel
        W3CTraceContextPropagator().extract(request.headers, into: &incoming, using: HTTPFieldsExtractor())
        return try await TracingContext.withValue(.continuing(incoming.traceContext)) {
            try await next(request, context)
        }
    }
}

struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

import HTTPTypes
import Instrumentation
