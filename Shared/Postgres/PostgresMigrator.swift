import Logging

/// One versioned schema change: static SQL from the source tree, applied once.
public struct PostgresMigration: Sendable {
    public var version: Int
    public var name: String
    public var sql: StaticString

    public init(version: Int, name: String, sql: StaticString) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Applies a service's migrations to its own schema, in version order, each at most once.
///
/// The connection's role decides the schema (each service's role has its schema first on its
/// `search_path`), so the same migrations never touch another service's tables. Concurrent
/// starts of the same service serialise on an advisory lock; applied versions are recorded in
/// `schema_migrations`. Running it again is a no-op.
public struct PostgresMigrator: Sendable {
    public var migrations: [PostgresMigration]
    public var logger: Logger

    public init(migrations: [PostgresMigration], logger: Logger) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "duplicate migration versions")
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies what is missing; returns the versions applied now.
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        try await pool.withTransaction { connection in
            let schema = try await connection.query("SELECT current_schema() AS schema")
                .first?.decode(String?.self, "schema")
            guard let schema else {
                throw PostgresError(kind: .server, message: "the role has no schema on its search_path")
            }
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('layar.migrations.' || $1))", [schema])
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = Set(try await connection.query("SELECT version FROM schema_migrations").map {
                try $0.decode(Int.self, "version")
            })
            var appliedNow: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                try await connection.execute(script: migration.sql)
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]
                )
                logger.info("applied migration \(migration.version) \(migration.name) to schema \(schema)")
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
    }
}
