import LayarPostgres
import Logging
import ServiceLifecycle

/// Wakes a service's loops when rows are added to (or changed in) their tables, instead of each
/// loop polling: the tables' `notify_change` trigger (the runtime's migration 0, `RuntimeMigrations.changeNotifier`)
/// sends a PostgreSQL notification at commit, one ``PostgresListener`` per service hears it and
/// signals that table's ``Wakeup``. A loop without a wake-up (unit tests) polls as before.
public final class TableWakeups: Service, Sendable {
    /// The transactional outbox: its relay wakes on every committed event.
    public static let outbox = "outbox"

    private let wakeups: [String: Wakeup]
    private let listener: PostgresListener

    public init(tables: [String], configuration: PostgresConfiguration, logger: Logger) {
        let wakeups = Dictionary(uniqueKeysWithValues: Set(tables).map { ($0, Wakeup()) })
        self.wakeups = wakeups
        listener = PostgresListener(configuration: configuration, channels: wakeups.keys.sorted(), logger: logger) { table in
            wakeups[table]?.signal()
        }
    }

    /// The wake-up of `table`; nil when it is not one of the tables this service listens for.
    public func wakeup(for table: String) -> Wakeup? { wakeups[table] }

    public func run() async throws {
        listener.start()
        try? await gracefulShutdown()
        listener.stop()
    }
}
