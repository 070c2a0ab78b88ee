import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime

/// Data master keys for tests: one random key per test process, written where the services
/// started by tests are given it as `LAYAR_DATA_KEYS_DIR`, and the real key store on a scratch
/// database for store-level tests (the same wrapping, tables and ciphers as a running service).
public enum TestDataKeys {
    public static let keyID = "test-1"

    /// The directory holding `test-1.key`, created on first use.
    public static let directory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "layar-test-data-keys-\(ProcessInfo.processInfo.processIdentifier)"
        )
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = .random(in: .min ... .max) }
        try! Data(bytes).base64EncodedString().write(
            to: directory.appendingPathComponent("\(keyID).key"), atomically: true, encoding: .utf8
        )
        return directory.path
    }()

    /// The cipher a service would hold on `pool` (whose schema has ``RuntimeMigrations/dataKeys``).
    public static func cipher(on pool: PostgresPool, clock: LayarClock) async throws -> PersonalDataCipher {
        let store = DataKeyStore(pool: pool, masterKeys: try MasterKeys(directory: directory))
        return PersonalDataCipher(keys: try await store.prepare(now: clock.now), clock: clock)
    }
}
