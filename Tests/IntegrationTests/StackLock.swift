/// The five service processes of a test share the services' schemas and Kafka consumer groups:
/// two stacks running at once would take each other's events (a message sent by the other
/// stack's notification process, say). Suites that start one take turns through this lock.
actor StackLock {
    static let shared = StackLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` while no other test runs a stack.
    static func exclusively<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let result = try await body()
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
