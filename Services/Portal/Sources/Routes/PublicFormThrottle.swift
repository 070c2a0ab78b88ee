import Hummingbird
import Synchronization

/// Throttles the citizens' form posts (a referral, tracking, documents, withdrawal, survey,
/// complaint) per client address: the public RPCs behind them have no account to limit, and the
/// services see every citizen as the portal. At most `limit` posts per `window` from one address;
/// more are answered 429 with a page that says when to try again. The staff console (behind its
/// login and lockout) is not counted.
struct PublicFormThrottle: RouterMiddleware {
    typealias Context = PortalRequestContext
    let counter: WindowCounter

    init(limit: Int = 30, window: Duration = .seconds(600)) {
        counter = WindowCounter(limit: limit, window: window)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, !request.uri.path.hasPrefix("/staf") else { return try await next(request, context) }
        guard counter.admit(context.clientAddress ?? "unknown", at: .now) else {
            var response = PageResponse.page(
                "Terlalu banyak permintaan",
                body: """
                <h1>Terlalu banyak permintaan</h1>
                <p>Dari sambungan Anda sudah banyak formulir dikirim dalam waktu singkat. Silakan coba lagi dalam \
                \(Int(counter.window.components.seconds / 60)) menit. Jika Anda petugas desa yang mengirim banyak rujukan, \
                hubungi Dinas Sosial Kabupaten Balangan.</p>
                """,
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(counter.window.components.seconds)
            return response
        }
        return try await next(request, context)
    }

    /// Posts per address in fixed windows; forgets addresses whose window has passed.
    final class WindowCounter: Sendable {
        let limit: Int
        let window: Duration
        private let windows = Mutex([String: (start: ContinuousClock.Instant, count: Int)]())

        init(limit: Int, window: Duration) {
            self.limit = limit
            self.window = window
        }

        func admit(_ address: String, at now: ContinuousClock.Instant) -> Bool {
            windows.withLock { windows in
                if windows.count > 50_000 { windows = windows.filter { now - $0.value.start < window } }
                var entry = windows[address].flatMap { now - $0.start < window ? $0 : nil } ?? (start: now, count: 0)
                entry.count += 1
                windows[address] = entry
                return entry.count <= limit
            }
        }
    }
}
