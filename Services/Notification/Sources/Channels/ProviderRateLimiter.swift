import LayarRuntime
import Synchronization

/// A token bucket per provider: at most `rate` sends per second on average, bursts up to `burst`.
/// `acquire()` waits (without blocking a thread) for a token.
final class ProviderRateLimiter: Sendable {
    private let rate: Double
    private let burst: Double
    private let state: Mutex<(tokens: Double, last: ContinuousClock.Instant)>

    init(perSecond rate: Double, burst: Int? = nil) {
        self.rate = rate
        self.burst = Double(burst ?? max(1, Int(rate)))
        self.state = Mutex((Double(burst ?? max(1, Int(rate))), .now))
    }

    func acquire() async throws {
        while true {
            let wait: Duration? = state.withLock { state in
                let now = ContinuousClock.now
                let elapsed = now - state.last
                let seconds = elapsed.inSeconds
                state.tokens = min(burst, state.tokens + seconds * rate)
                state.last = now
                if state.tokens >= 1 {
                    state.tokens -= 1
                    return nil
                }
                return .milliseconds(Int64(((1 - state.tokens) / rate * 1000).rounded(.up)))
            }
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }
}
