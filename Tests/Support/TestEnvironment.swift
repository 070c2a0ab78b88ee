import Foundation
import LayarKafka
import LayarPostgres
import Logging

/// What the test suite needs from `deploy/local/test.sh`: a PostgreSQL server, a Kafka protocol
/// endpoint and the built executables. A missing variable fails the test (never skips it).
public enum TestEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public var variable: String
        public var description: String { "\(variable) is not set: run the suite with deploy/local/test.sh" }
    }

    public static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    public static func databaseURL() throws -> String { try value("LAYAR_TEST_DATABASE_URL") }
    public static func kafkaBrokers() throws -> String { try value("KAFKA_BROKERS") }
    /// The dev broker: plaintext on loopback.
    public static func kafkaEndpoint() throws -> KafkaEndpoint { KafkaEndpoint(bootstrapServers: try kafkaBrokers()) }
    public static func binDirectory() throws -> String { try value("LAYAR_BIN_DIR") }

    /// The URL of `service`'s own role in the test database.
    public static func serviceDatabaseURL(_ service: String) throws -> String {
        try value("LAYAR_TEST_SERVICE_DATABASE_URL").replacingOccurrences(of: "{service}", with: service)
    }

    public static let logger: Logger = {
        var logger = Logger(label: "layar.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A pool whose connections work in a new, empty schema of their own, so tests never share
    /// tables. The schema is dropped by ``ScratchDatabase/drop()``.
    public static func scratchDatabase(maximumConnections: Int = 4) async throws -> ScratchDatabase {
        let schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = PostgresPool(configuration: .init(connectionString: try databaseURL()), logger: logger)
        // CREATE SCHEMA takes an identifier, not a parameter: it is passed through a setting and
        // quoted by format(%I).
        try await admin.withConnection { connection in
            try await connection.query("SELECT set_config('layar.scratch', $1, false)", [schema])
            try await connection.query(
                "DO $$ BEGIN EXECUTE format('CREATE SCHEMA %I', current_setting('layar.scratch')); END $$"
            )
        }
        var configuration = PostgresConfiguration(connectionString: try databaseURL())
        configuration.maximumConnections = maximumConnections
        configuration.searchPath = schema
        return ScratchDatabase(
            schema: schema, configuration: configuration, pool: PostgresPool(configuration: configuration, logger: logger), admin: admin
        )
    }
}

/// A throwaway schema and a pool bound to it.
public struct ScratchDatabase: Sendable {
    public let schema: String
    /// How `pool` connects (the scratch schema on its search path), for connections of one's own.
    public let configuration: PostgresConfiguration
    public let pool: PostgresPool
    let admin: PostgresPool

    public func drop() async throws {
        await pool.close()
        try await admin.withConnection { connection in
            try await connection.query("SELECT set_config('layar.scratch', $1, false)", [schema])
            try await connection.query(
                "DO $$ BEGIN EXECUTE format('DROP SCHEMA %I CASCADE', current_setting('layar.scratch')); END $$"
            )
        }
        await admin.close()
    }
}
