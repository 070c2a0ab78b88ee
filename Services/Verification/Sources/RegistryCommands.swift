import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import Logging

/// The verification service's registry tasks, for its command line: importing an extract into
/// the service's own schema, and writing a synthetic one.
public enum RegistryCommands {
    /// Migrates the schema if needed, then imports `path` as the new current snapshot.
    public static func importExtract(
        path: String, source: String, snapshotDate: CivilDate, maximumRejectedRatio: Double,
        aliases: [String: [String]] = [:], rejectedReport: String? = nil, environment: [String: String], clock: LayarClock
    ) async throws -> RegistryImporter.Report {
        var reader = EnvironmentReader(environment)
        let url = reader.required("LAYAR_DATABASE_URL", "the PostgreSQL URI with the verification service's role")
        let keys = reader.optional("LAYAR_DATA_KEYS_DIR", default: "")  // MasterKeys says what is missing
        try reader.validate()
        var configuration = PostgresConfiguration(connectionString: url)
        configuration.statementTimeout = .seconds(3600)  // Index builds on millions of rows.
        configuration.applicationName = "layar-verification-import"
        var logger = Logger(label: "layar.verification.import")
        logger.logLevel = .info
        let pool = PostgresPool(configuration: configuration, logger: logger)
        do {
            try await PostgresMigrator(migrations: VerificationMigrations.all, logger: logger).migrate(pool)
            // The same keys the service holds: its lookups must find the indexes made here.
            let keyStore = DataKeyStore(pool: pool, masterKeys: try MasterKeys(directory: keys))
            let cipher = PersonalDataCipher(keys: try await keyStore.prepare(now: clock.now), clock: clock)
            var importer = RegistryImporter(pool: pool, cipher: cipher, clock: clock, logger: logger)
            importer.maximumRejectedRatio = maximumRejectedRatio
            importer.aliases = aliases
            importer.rejectedReport = rejectedReport
            let report = try await importer.importFile(at: path, source: source, snapshotDate: snapshotDate)
            await pool.close()
            return report
        } catch {
            await pool.close()
            throw error
        }
    }
}
