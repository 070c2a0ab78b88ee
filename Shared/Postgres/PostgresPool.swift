import Logging
import Synchronization

/// A bounded pool of ``PostgresConnection``s. Connections open lazily up to
/// ``PostgresConfiguration/maximumConnections``; callers beyond that wait for one to be returned.
/// A connection that lost its server is dropped on return and a fresh one opened on the next
/// lease, so the pool recovers by itself after a database restart.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var closed = false
        /// Waiters are resumed with a connection, or with `nil` meaning "a slot is free: open one".
        var waiters: [Waiter] = []
        var nextWaiterID = 0
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<PostgresConnection?, any Error>
    }

    public init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// How the pool is used right now (for the metrics endpoint).
    public struct Statistics: Sendable, Equatable {
        public var open: Int
        public var idle: Int
        public var waiting: Int
        public var maximum: Int
        public var inUse: Int { open - idle }
    }

    public var statistics: Statistics {
        state.withLock { state in
            Statistics(open: state.open, idle: state.idle.count, waiting: state.waiters.count, maximum: configuration.maximumConnections)
        }
    }

    /// Leases a connection for the duration of `body`.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.query("BEGIN")
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT")
                return result
            } catch {
                if !connection.isBroken { _ = try? await connection.query("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ sql: StaticString, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Closes idle connections and refuses new leases; leased ones close when returned.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError(kind: .closed, message: "pool closed")) }
        for connection in idle { await connection.close() }
    }

    private enum Lease {
        case reuse(PostgresConnection)
        case open
        case wait
    }

    private func lease() async throws -> PostgresConnection {
        let decision: Lease = try state.withLock { state in
            if state.closed { throw PostgresError(kind: .closed, message: "pool closed") }
            if let connection = state.idle.popLast() { return .reuse(connection) }
            if state.open < configuration.maximumConnections {
                state.open += 1
                return .open
            }
            return .wait
        }
        switch decision {
        case .reuse(let connection):
            return connection
        case .open:
            return try await openConnection()
        case .wait:
            if let handed = try await waitForConnection() { return handed }
            return try await openConnection()
        }
    }

    /// Waits in line for a connection or a free slot; a cancelled task (an RPC past its deadline)
    /// leaves the line at once.
    private func waitForConnection() async throws -> PostgresConnection? {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { state in
                    if Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Opens a connection in a slot already counted in `open`.
    private func openConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration)
        } catch {
            freeSlot()
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) {
        if connection.isBroken || state.withLock({ $0.closed }) {
            logger.debug("dropping a closed or broken database connection")
            Task { await connection.close() }
            freeSlot()
            return
        }
        let waiter: Waiter? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: connection)
    }

    private func freeSlot() {
        let waiter: Waiter? = state.withLock { state in
            if state.waiters.isEmpty {
                state.open -= 1
                return nil
            }
            return state.waiters.removeFirst()  // The slot passes to the waiter, `open` unchanged.
        }
        waiter?.continuation.resume(returning: nil)
    }
}
