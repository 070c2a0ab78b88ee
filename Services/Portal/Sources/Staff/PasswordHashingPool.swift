import Dispatch
import Synchronization

/// Runs password hashing off Swift's cooperative thread pool, at most `concurrency` hashes at a
/// time with at most `queueLimit` waiting: each scrypt hash holds 64 MiB for about 0.1 s of CPU,
/// so a burst of sign-ins would otherwise hold as many tables as there are requests (four
/// hundred concurrent tries: 25 GiB) and stall every other request on the cooperative threads.
/// Beyond the queue, a sign-in is answered "busy" at once, without hashing.
///
/// Memory for hashing is bounded by `concurrency` × the cost's table (``PasswordHasher/Cost/memory``);
/// the portal refuses to start when that does not fit its container's memory limit
/// (``PortalConfiguration/checkHashingFitsMemory(limitBytes:)``).
public final class PasswordHashingPool: Sendable {
    /// Every slot and queue place is taken.
    public struct Busy: Error {}

    public let concurrency: Int
    public let queueLimit: Int
    private let queue = DispatchQueue(label: "layar.portal.password-hashing", attributes: .concurrent)
    private let state: Mutex<State>

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, any Error>] = []
        /// The most hashes that ran at once: what the memory bound rests on (read by tests).
        var highWater = 0
    }

    public init(concurrency: Int, queueLimit: Int) {
        precondition(concurrency > 0 && queueLimit >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
        self.state = Mutex(State())
    }

    /// The most hashes that have run at the same time.
    public var highWater: Int { state.withLock { $0.highWater } }
    /// Sign-ins waiting for a slot now.
    public var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Runs `work` on a hashing thread once a slot is free, or throws ``Busy`` when the queue is full.
    public func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Takes a slot, joins the queue, or is refused: decided under one lock.
    private func acquire() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let admitted: Bool? = state.withLock { state in
                if state.running < concurrency {
                    state.running += 1
                    state.highWater = max(state.highWater, state.running)
                    return true
                }
                guard state.waiting.count < queueLimit else { return false }
                state.waiting.append(continuation)
                return nil
            }
            switch admitted {
            case true?: continuation.resume()
            case false?: continuation.resume(throwing: Busy())
            case nil: break  // resumed by release()
            }
        }
    }

    /// Frees a slot, or hands it to the longest waiting sign-in.
    private func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()  // the slot passes on: `running` stays
        }
        next?.resume()
    }
}
