import CLibPQ
import Dispatch
import Foundation
import Logging

/// Listens for PostgreSQL notifications (`LISTEN`/`NOTIFY`) on a connection of its own, without
/// polling: a dispatch read source on the connection's socket wakes it when the server sends
/// something, and every libpq call runs on its own serial queue, never on Swift's cooperative
/// pool. Channels are named relative to the connection's schema (`<schema>.<name>`, the schema
/// being the first of the role's `search_path`), so services sharing one database (development,
/// the tests) hear only their own tables.
///
/// `onNotify` gets each notified channel name (as given to ``init``); after every (re)connection
/// it gets all of them, since notifications sent while nobody listened are lost. A lost connection
/// is opened again after a growing pause (0.1 s doubling up to 5 s).
public final class PostgresListener: @unchecked Sendable {
    private let queue = DispatchQueue(label: "layar.postgres.listener")
    private let configuration: PostgresConfiguration
    private let names: [String]
    private let onNotify: @Sendable (String) -> Void
    private let logger: Logger
    // Only touched on `queue`.
    private var connection: OpaquePointer?
    private var source: (any DispatchSourceRead)?
    private var channels: [String: String] = [:]
    private var stopped = false
    private var failures = 0

    public init(
        configuration: PostgresConfiguration, channels names: [String], logger: Logger, onNotify: @escaping @Sendable (String) -> Void
    ) {
        self.configuration = configuration
        self.names = names
        self.onNotify = onNotify
        self.logger = logger
    }

    /// Connects (in the background) and listens until ``stop()``.
    public func start() {
        queue.async { self.connect() }
    }

    /// Stops listening and closes the connection (on the listener's queue: a caller on the
    /// cooperative pool is not held while a connection attempt finishes).
    public func stop() {
        queue.async {
            self.stopped = true
            self.tearDown()
        }
    }

    /// The full channel name of `name` for the schema `schema`.
    public static func channel(_ name: String, schema: String) -> String { "layar.\(schema).\(name)" }

    private func connect() {
        guard !stopped else { return }
        do {
            let raw = try PostgresConnection.open(configuration)
            connection = raw
            let schema = try value(of: "SELECT current_schema()", on: raw)
            channels = [:]
            for name in names {
                let channel = Self.channel(name, schema: schema)
                guard let quoted = PQescapeIdentifier(raw, channel, channel.utf8.count) else {
                    throw PostgresError(kind: .connection, message: "cannot quote channel \(channel)")
                }
                defer { PQfreemem(quoted) }
                try execute("LISTEN \(String(cString: quoted))", on: raw)
                channels[channel] = name
            }
            let source = DispatchSource.makeReadSource(fileDescriptor: PQsocket(raw), queue: queue)
            source.setEventHandler { [weak self] in self?.read() }
            source.resume()
            self.source = source
            failures = 0
            logger.debug("listening for \(names.joined(separator: ", ")) in schema \(schema)")
            for name in names { onNotify(name) }  // anything sent while nobody listened
        } catch {
            retry(after: error)
        }
    }

    /// The socket has data: notifications, or the end of the connection.
    private func read() {
        guard let connection else { return }
        guard PQconsumeInput(connection) == 1 else {
            retry(after: PostgresError(kind: .connection, message: String(cString: PQerrorMessage(connection)).trimmed))
            return
        }
        var heard: Set<String> = []
        while let notification = PQnotifies(connection) {
            let channel = String(cString: notification.pointee.relname)
            PQfreemem(notification)
            if let name = channels[channel] { heard.insert(name) }
        }
        for name in heard.sorted() { onNotify(name) }
    }

    private func retry(after error: any Error) {
        tearDown()
        guard !stopped else { return }
        failures += 1
        let pause = min(5.0, 0.1 * pow(2, Double(failures - 1)))
        logger.warning("notification listener: \(error); connecting again in \(pause) s")
        queue.asyncAfter(deadline: .now() + pause) { self.connect() }
    }

    /// Closes the connection; with a read source, only once the source is cancelled (its socket
    /// must stay open until then).
    private func tearDown() {
        let raw = connection
        connection = nil
        if let source {
            source.setCancelHandler { if let raw { PQfinish(raw) } }
            source.cancel()
            self.source = nil
        } else if let raw {
            PQfinish(raw)
        }
    }

    private func execute(_ sql: String, on connection: OpaquePointer) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(connection)).trimmed)
        }
    }

    private func value(of sql: String, on connection: OpaquePointer) throws -> String {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK, PQntuples(result) == 1, let text = PQgetvalue(result, 0, 0) else {
            throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(connection)).trimmed)
        }
        return String(cString: text)
    }
}
