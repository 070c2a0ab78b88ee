import Dispatch
import Synchronization

/// A wake-up call for one loop that otherwise sleeps until its next due time: ``signal()`` from
/// anywhere (a PostgreSQL notification, a write in this process); ``wait(upTo:)`` returns at the
/// first signal since the previous wait, after the duration, or when its task is cancelled
/// (graceful shutdown). Signals while nobody waits are kept as one, so none is lost between a
/// round that found nothing and the wait after it.
public final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextID: UInt64 = 0
        /// A wait whose task was cancelled before it stored its continuation.
        var cancelledID: UInt64?
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Waits for a signal, at most `duration`. One loop waits at a time.
    public func wait(upTo duration: Duration) async {
        let id = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id, duration > .zero else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pending || state.cancelledID == id {
                        state.pending = false
                        return true
                    }
                    state.waiter = (id, continuation)
                    return false
                }
                if now {
                    continuation.resume()
                } else {
                    // The timer is a dispatch timer, not a task: nothing runs on the cooperative
                    // pool until the wait ends.
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(duration.nanoseconds))) {
                        self.release(id)
                    }
                }
            }
        } onCancel: {
            release(id, cancelled: true)
        }
    }

    /// Ends wait `id` if it is still waiting (its time is up, or its task was cancelled).
    private func release(_ id: UInt64, cancelled: Bool = false) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.id == id else {
                if cancelled { state.cancelledID = id }
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
