import CLibPQ
import Dispatch
import Foundation
import Synchronization

/// One PostgreSQL connection. libpq blocks while it waits for the server, so every libpq call
/// runs on this connection's own serial dispatch queue (a thread of its own while busy), never
/// on Swift's cooperative pool. Statements carry their values as separate parameters.
///
/// Use connections through a ``PostgresPool``; a connection that lost its server reports
/// ``isBroken`` and the pool replaces it.
///
/// A statement whose task is cancelled (an RPC past its deadline, a shutdown) is cancelled on the
/// server too (a libpq cancel request), so nothing keeps working, or waiting on a lock, for a
/// caller that is gone. Such a connection is then retired rather than reused: a cancel request
/// that arrives late could otherwise stop the next caller's statement.
public final class PostgresConnection: @unchecked Sendable {
    private let worker = DispatchQueue(label: "layar.postgres.connection")
    /// The `PGconn *`, only touched on `worker`.
    private var connection: OpaquePointer?
    /// The `PGcancel *`: usable from any thread; nil once the connection is closed.
    private let cancelHandle: Mutex<CancelHandle>

    private struct CancelHandle: @unchecked Sendable {
        var pointer: OpaquePointer?
    }
    private let broken = Mutex(false)
    private let cancelled = Mutex(false)
    /// A statement is on its way to or at the server (between the worker's start and end of a call).
    private let running = Mutex(false)
    /// Statements prepared on this connection, by text and parameter types; only touched on
    /// `worker`. Every statement is static text from the source tree, so the set is small and
    /// bounded, and each is parsed and analysed once per connection instead of at every call
    /// (which was a third of the server's CPU per referral: parse, analyse and plan).
    private var prepared: [PreparedKey: String] = [:]

    private struct PreparedKey: Hashable {
        var sql: String
        var types: [Oid]
    }

    private init(connection: OpaquePointer) {
        self.connection = connection
        self.cancelHandle = Mutex(CancelHandle(pointer: PQgetCancel(connection)))
    }

    /// Opens a connection; throws ``PostgresError/Kind/connection`` with libpq's reason on failure.
    public static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { PostgresConnection(connection: try open(configuration)) })
            }
        }
    }

    /// Opens a libpq connection, blocking the calling thread (never one of the cooperative pool's).
    static func open(_ configuration: PostgresConfiguration) throws -> OpaquePointer {
        let pairs = configuration.overrides
        let keywords = pairs.map { strdup($0.0) } + [nil]
        let values = pairs.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        let raw = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 1)
            }
        }
        guard let raw, PQstatus(raw) == CONNECTION_OK else {
            let reason = raw.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(raw)
            throw PostgresError(kind: .connection, message: reason.trimmed)
        }
        return raw
    }

    /// True once the server connection is gone or a statement was cancelled; the pool then
    /// discards this connection.
    public var isBroken: Bool { broken.withLock { $0 } || cancelled.withLock { $0 } }

    /// Runs one statement with `$1, $2...` placeholders bound to `parameters`. The statement is
    /// a `StaticString`: SQL text comes from the source tree, values only through parameters.
    @discardableResult
    public func query(_ sql: StaticString, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresRows {
        let sql = sql.description
        let bindings = parameters.map(\.postgresBinding)
        return try await cancellingOnServer { connection in
            let count = bindings.count
            var values = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            var lengths = [Int32](repeating: 0, count: count)
            var formats = [Int32](repeating: 0, count: count)
            var types = [Oid](repeating: 0, count: count)
            defer { values.forEach { free($0) } }
            for (index, binding) in bindings.enumerated() {
                switch binding {
                case .null:
                    break
                case .text(let text):
                    values[index] = strdup(text)
                case .binary(let bytes, let oid):
                    let buffer = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
                    bytes.withUnsafeBytes { source in
                        if let base = source.baseAddress { buffer.update(from: base.assumingMemoryBound(to: CChar.self), count: bytes.count) }
                    }
                    values[index] = buffer
                    lengths[index] = Int32(bytes.count)
                    formats[index] = 1
                    types[index] = oid
                }
            }
            let name = try self.preparedName(of: sql, types: types, connection: connection)
            let result = values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQexecPrepared(connection, name, Int32(count), valuePointers.baseAddress, lengths, formats, 0)
            }
            return try self.rows(from: result, connection: connection)
        }
    }

    /// The name `sql` is prepared under on this connection with these parameter types, preparing
    /// it on first use (on the worker). A statement that fails to prepare is not remembered.
    private func preparedName(of sql: String, types: [Oid], connection: OpaquePointer) throws -> String {
        let key = PreparedKey(sql: sql, types: types)
        if let name = prepared[key] { return name }
        let name = "layar_\(prepared.count)"
        _ = try rows(from: PQprepare(connection, name, sql, Int32(types.count), types), connection: connection)
        prepared[key] = name
        return name
    }

    /// Runs a fixed script of several statements without parameters (migrations only: a script
    /// is static text from the source tree, never built from input).
    public func execute(script: StaticString) async throws {
        let text = script.description
        _ = try await cancellingOnServer { connection in try self.rows(from: PQexec(connection, text), connection: connection) }
    }

    /// Runs `body` on the worker; if the task is cancelled meanwhile, asks the server to cancel
    /// the statement (the server answers it with SQLSTATE 57014).
    private func cancellingOnServer<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await onWorker(body)
        } onCancel: {
            guard cancelled.withLock({ flag in defer { flag = true }; return !flag }) else { return }
            // The request opens a connection of its own: not on the caller's (cooperative) thread.
            // A request that reaches the server just before the statement does is ignored, so it
            // is repeated while the statement still runs (for at most two seconds).
            DispatchQueue.global().async {
                for _ in 0..<10 {
                    guard self.running.withLock({ $0 }) else { return }
                    self.cancelHandle.withLock { handle in
                        guard let handle = handle.pointer else { return }
                        var reason = [CChar](repeating: 0, count: 256)
                        _ = PQcancel(handle, &reason, Int32(reason.count))
                    }
                    usleep(200_000)
                }
            }
        }
    }

    /// Closes the connection.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            worker.async {
                self.cancelHandle.withLock { handle in
                    PQfreeCancel(handle.pointer)
                    handle.pointer = nil
                }
                PQfinish(self.connection)
                self.connection = nil
                self.broken.withLock { $0 = true }
                continuation.resume()
            }
        }
    }

    func onWorker<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            worker.async {
                guard let connection = self.connection, !self.broken.withLock({ $0 }) else {
                    continuation.resume(throwing: PostgresError(kind: .connection, message: "connection is closed"))
                    return
                }
                // Marked running before the cancel flag is read: a cancellation either finds the
                // flag unread (nothing runs) or the statement running (it sends cancel requests).
                self.running.withLock { $0 = true }
                defer { self.running.withLock { $0 = false } }
                if self.cancelled.withLock({ $0 }) {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                continuation.resume(with: Result { try body(connection) })
            }
        }
    }

    /// Copies a `PGresult` into Swift values and frees it; failures become ``PostgresError``.
    private func rows(from result: OpaquePointer?, connection: OpaquePointer) throws -> PostgresRows {
        defer { PQclear(result) }
        if PQstatus(connection) != CONNECTION_OK { broken.withLock { $0 = true } }
        guard let result else {
            throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(connection)).trimmed)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmed
            let lost = broken.withLock { $0 }
            throw PostgresError(kind: lost ? .connection : .server, sqlState: sqlState, message: message)
        }
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var cells: [[String?]] = []
        cells.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            cells.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, cells: cells, affectedRows: affected)
    }
}

extension String {
    var trimmed: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
