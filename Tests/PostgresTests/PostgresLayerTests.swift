import Foundation
import LayarPostgres
import LayarTestSupport
import Testing

/// The Postgres layer against the real server started by deploy/local/test.sh.
@Suite("Postgres layer")
struct PostgresLayerTests {
    @Test("a transaction that throws is rolled back")
    func rollback() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await database.pool.query("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)")
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await database.pool.withTransaction { connection in
                try await connection.query("INSERT INTO notes VALUES ($1, $2)", [1, "half-stored"])
                throw Abort()
            }
        }
        try await database.pool.withTransaction { connection in
            try await connection.query("INSERT INTO notes VALUES ($1, $2)", [2, "kept"])
        }
        let bodies = try await database.pool.query("SELECT body FROM notes ORDER BY id").map { try $0.decode(String.self, "body") }
        #expect(bodies == ["kept"])
        try await database.drop()
    }

    @Test("parameters are values, never SQL")
    func noInjection() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await database.pool.query("CREATE TABLE people (name text NOT NULL)")
        let hostile = "Robert'); DROP TABLE people; --"
        try await database.pool.query("INSERT INTO people (name) VALUES ($1)", [hostile])
        let found = try await database.pool.query("SELECT name FROM people WHERE name = $1", [hostile])
        #expect(try found.first?.decode(String.self, "name") == hostile)
        let none = try await database.pool.query("SELECT name FROM people WHERE name = $1", ["' OR '1'='1"])
        #expect(none.isEmpty)
        try await database.drop()
    }

    @Test("values round-trip with their types, NULL included")
    func typedDecoding() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_764_380_000.123456)
        let bytes: [UInt8] = [0, 1, 2, 0xfe, 0xff, 0x5c, 0x27]
        let tags = PostgresTextArray(["a,b", "quote\"d", "back\\slash", "Ñoño"])
        let row = try #require(try await database.pool.query(
            """
            SELECT $1::uuid AS id, $2::timestamptz AS at, $3::bytea AS raw, $4::text[] AS tags, $5::boolean AS flag,
                $6::bigint AS big, $7::text AS missing, $8::double precision AS ratio
            """,
            [id, when, bytes, tags, true, Int64.max, String?.none, 0.25]
        ).first)
        #expect(try row.decode(UUID.self, "id") == id)
        #expect(abs(try row.decode(Date.self, "at").timeIntervalSince(when)) < 0.000_001)
        #expect(try row.decode([UInt8].self, "raw") == bytes)
        #expect(try row.decode(PostgresTextArray.self, "tags") == tags)
        #expect(try row.decode(Bool.self, "flag"))
        #expect(try row.decode(Int64.self, "big") == Int64.max)
        #expect(try row.decode(String?.self, "missing") == nil)
        #expect(try row.decode(Double.self, "ratio") == 0.25)
        #expect(throws: PostgresError.self) { try row.decode(String.self, "missing") }
        #expect(throws: PostgresError.self) { try row.decode(String.self, "no_such_column") }
        try await database.drop()
    }

    @Test("migrations apply once and are idempotent")
    func migrations() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        let migrator = PostgresMigrator(migrations: [
            PostgresMigration(version: 2, name: "add column", sql: "ALTER TABLE things ADD COLUMN label text"),
            PostgresMigration(version: 1, name: "things", sql: "CREATE TABLE things (id integer PRIMARY KEY)"),
        ], logger: TestEnvironment.logger)
        #expect(try await migrator.migrate(database.pool) == [1, 2])
        #expect(try await migrator.migrate(database.pool) == [])
        let versions = try await database.pool.query("SELECT version FROM schema_migrations ORDER BY version")
            .map { try $0.decode(Int.self, "version") }
        #expect(versions == [1, 2])
        try await database.pool.query("INSERT INTO things (id, label) VALUES ($1, $2)", [1, "ok"])
        try await database.drop()
    }

    @Test("a failed migration leaves nothing half-applied")
    func failedMigration() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        let migrator = PostgresMigrator(migrations: [
            PostgresMigration(version: 1, name: "good", sql: "CREATE TABLE good (id integer)"),
            PostgresMigration(version: 2, name: "bad", sql: "CREATE TABLE bad (id no_such_type)"),
        ], logger: TestEnvironment.logger)
        await #expect(throws: PostgresError.self) { try await migrator.migrate(database.pool) }
        let tables = try await database.pool.query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'good'"
        )
        #expect(try tables.first?.decode(Int.self, "n") == 0)
        try await database.drop()
    }

    @Test("the pool reconnects after the server dropped its connection")
    func reconnect() async throws {
        let database = try await TestEnvironment.scratchDatabase(maximumConnections: 1)
        let firstPID = try #require(try await database.pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid"))
        // Another session of the same role ends ours, as a server restart or a network cut would.
        let other = try await PostgresConnection.connect(.init(connectionString: try TestEnvironment.databaseURL()))
        try await other.query("SELECT pg_terminate_backend($1)", [firstPID])
        await other.close()
        await #expect(throws: PostgresError.self) { try await database.pool.query("SELECT 1") }
        let secondPID = try #require(try await database.pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int.self, "pid"))
        #expect(secondPID != firstPID)
        try await database.drop()
    }

    @Test("statements past the timeout are cancelled by the server")
    func statementTimeout() async throws {
        var configuration = PostgresConfiguration(connectionString: try TestEnvironment.databaseURL())
        configuration.statementTimeout = .milliseconds(200)
        let pool = PostgresPool(configuration: configuration, logger: TestEnvironment.logger)
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(3)") }
        #expect(error?.isStatementTimeout == true)
        #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, "one") == 1)
        await pool.close()
    }

    @Test("a cancelled task cancels its statement on the server and leaves the pool's line; the pool goes on")
    func cancellation() async throws {
        var configuration = PostgresConfiguration(connectionString: try TestEnvironment.databaseURL())
        configuration.maximumConnections = 1
        configuration.applicationName = "layar-cancel-\(UUID().uuidString.prefix(8))"
        let pool = PostgresPool(configuration: configuration, logger: TestEnvironment.logger)
        let observer = try await PostgresConnection.connect(.init(connectionString: try TestEnvironment.databaseURL()))
        func running() async throws -> Int {
            try #require(try await observer.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'", [configuration.applicationName]
            ).first).decode(Int.self, "n")
        }
        let sleeper = Task { try await pool.query("SELECT pg_sleep(10)") }
        // A second caller waits in line for the only connection.
        let waiter = Task { try await pool.query("SELECT 1") }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await running() == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
        #expect(error?.sqlState == "57014", "cancelled by the server: \(String(describing: error))")
        #expect(ContinuousClock.now - cancelled < .seconds(2))
        // The server has nothing left of it, and the pool serves the next caller on a fresh connection.
        #expect(try await running() == 0)
        await observer.close()
        #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, "one") == 1)
        await pool.close()
    }

    @Test("many concurrent leases share a small pool without exceeding it")
    func poolUnderContention() async throws {
        let database = try await TestEnvironment.scratchDatabase(maximumConnections: 3)
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for value in 1...50 {
                group.addTask {
                    let row = try #require(try await database.pool.query(
                        "SELECT $1::integer AS v, pg_backend_pid() AS pid", [value]
                    ).first)
                    return (try row.decode(Int.self, "v"), try row.decode(Int.self, "pid"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.map(\.0).reduce(0, +) == 1275)
        #expect(Set(answers.map(\.1)).count <= 3)
        try await database.drop()
    }
}
