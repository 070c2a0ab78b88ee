import Foundation
import Hummingbird
import LayarDomain
import LayarRuntime

/// Throttles the citizens' form posts (a referral, tracking, documents, withdrawal, survey,
/// complaint): the public RPCs behind them have no account to limit, and the services see every
/// citizen as the portal. At most `perClient` posts per window from one client address (the
/// address ``ClientAddressMiddleware`` resolved: behind trusted proxies the client's, never the
/// proxy's), and at most `ceiling` from everyone together, which keeps a flood from many addresses
/// off the services. Counted in PostgreSQL (``RateLimiter``), so the limits hold across replicas.
/// More are answered 429 with a page that says when to try again. The staff console (behind its
/// login, which has limits of its own) is not counted.
struct PublicFormThrottle: RouterMiddleware {
    typealias Context = PortalRequestContext
    let limiter: RateLimiter
    let perClient: RateLimiter.Rule
    let ceiling: RateLimiter.Rule

    init(limiter: RateLimiter, perClient: Int = 30, ceiling: Int = 1_500, window: Duration = .seconds(600)) {
        self.limiter = limiter
        self.perClient = .init(name: "form", limit: perClient, window: window)
        self.ceiling = .init(name: "form-all", limit: ceiling, window: window)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, !request.uri.path.hasPrefix("/staf") else { return try await next(request, context) }
        guard try await limiter.admit(context.clientAddress ?? "unknown", perClient), try await limiter.admit("*", ceiling) else {
            return Self.tooMany(window: perClient.window, text: """
                Dari sambungan Anda sudah banyak formulir dikirim dalam waktu singkat, atau layanan sedang menerima sangat \
                banyak formulir. Silakan coba lagi dalam \(Int(perClient.window.components.seconds / 60)) menit. Jika Anda \
                petugas desa yang mengirim banyak rujukan, hubungi Dinas Sosial Kabupaten Balangan.
                """)
        }
        return try await next(request, context)
    }

    /// The 429 page, with `Retry-After`.
    static func tooMany(window: Duration, text: String) -> Response {
        var response = PageResponse.page(
            "Terlalu banyak permintaan", body: "<h1>Terlalu banyak permintaan</h1>\n<p>\(text)</p>", status: .tooManyRequests
        )
        response.headers[.retryAfter] = String(window.components.seconds)
        return response
    }
}
