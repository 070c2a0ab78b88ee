/// Exponential backoff with equal jitter for retry loops: the ceiling starts at `base` (100 ms)
/// and doubles per attempt up to `cap` (5 s); the delay is random between half the ceiling and all of it.
public enum Backoff {
    public static func delay(attempt: Int, base: Duration = .milliseconds(100), cap: Duration = .seconds(5)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 16)
        let ceiling = min(base * (1 << exponent), cap)
        let milliseconds = ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int64.random(in: milliseconds / 2...max(milliseconds, 1)))
    }
}
