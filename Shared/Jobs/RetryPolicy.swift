import Foundation

/// How calls to outside HTTP systems (SMS, WhatsApp and mail gateways, SP4N-LAPOR!) are retried:
/// timeouts, 408, 429 and 5xx may succeed later; any other 4xx will not.
public enum RetryPolicy {
    public static func isRetriable(httpStatus: Int) -> Bool {
        httpStatus == 408 || httpStatus == 429 || httpStatus >= 500
    }
}

/// When an outbound delivery (a message to its gateway, a complaint to SP4N-LAPOR!) is tried
/// again: a retriable failure waits ``Backoff`` from `base` up to `cap`, until `maximumAttempts`
/// attempts were made; then, as after a permanent failure, it gives up (a dead letter, or the
/// failure shown on the complaint). The one rule both outbound queues follow.
public struct DeliveryRetries: Sendable {
    public var maximumAttempts: Int
    public var base: Duration
    public var cap: Duration

    public init(maximumAttempts: Int, base: Duration, cap: Duration) {
        self.maximumAttempts = maximumAttempts
        self.base = base
        self.cap = cap
    }

    /// The instant of the next attempt after `attempts` made, the last of which failed; nil to give up.
    public func nextAttempt(after attempts: Int, retriable: Bool, now: Date) -> Date? {
        guard retriable && attempts < maximumAttempts else { return nil }
        return now.addingTimeInterval(Backoff.delay(attempt: attempts, base: base, cap: cap).inSeconds)
    }
}
