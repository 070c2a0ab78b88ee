import Foundation
import Hummingbird
import LayarDomain
import LayarRuntime
import Synchronization

/// Throttles the citizens' form posts (a referral, tracking, documents, withdrawal, survey,
/// complaint) per client address: the public RPCs behind them have no account to limit, and the
/// services see every citizen as the portal. At most `limit` posts per `window` from one address;
/// more are answered 429 with a page that says when to try again. The staff console (behind its
/// login and lockout) is not counted.
struct PublicFormThrottle: RouterMiddleware {
    typealias Context = PortalRequestContext
    let counter: WindowCounter
    let clock: LayarClock

    init(clock: LayarClock, limit: Int = 30, window: Duration = .seconds(600)) {
        self.clock = clock
        counter = WindowCounter(limit: limit, window: window)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, !request.uri.path.hasPrefix("/staf") else { return try await next(request, context) }
        guard counter.admit(context.clientAddress ?? "unknown", at: clock.now) else {
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
        private let windows = Mutex([String: (start: Date, count: Int)]())
        private var seconds: TimeInterval { window.inSeconds }

        init(limit: Int, window: Duration) {
            self.limit = limit
            self.window = window
        }

        func admit(_ address: String, at now: Date) -> Bool {
            let seconds = seconds
            return windows.withLock { windows in
                // A window is current while less than `window` old (and not in the future: a
                // clock set back starts a new one).
                func current(_ start: Date) -> Bool { (0..<seconds).contains(now.timeIntervalSince(start)) }
                if windows.count > 50_000 { windows = windows.filter { current($0.value.start) } }
                var entry = windows[address].flatMap { current($0.start) ? $0 : nil } ?? (start: now, count: 0)
                entry.count += 1
                windows[address] = entry
                return entry.count <= limit
            }
        }
    }
}
