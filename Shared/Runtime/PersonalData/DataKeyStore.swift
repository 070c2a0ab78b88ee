import Crypto
import Foundation
import LayarJobs
import LayarPostgres

/// A service's data keys, kept in its own `data_keys` table wrapped (AES-GCM) under its master
/// keys: the database alone opens nothing, the master key files alone hold no data.
///
/// - The first start makes one sealing key and the blind-index key.
/// - Master-key rotation: every start rewraps keys still wrapped under an older master key.
/// - Data-key rotation (`layar-<service> rotate-data-key`): a new sealing key is stored now and
///   used from `activationDelay` on, by which time every instance's refresh has loaded it; values
///   sealed under earlier keys keep opening with those.
public struct DataKeyStore: Sendable {
    let pool: PostgresPool
    let masterKeys: MasterKeys

    public init(pool: PostgresPool, masterKeys: MasterKeys) {
        self.pool = pool
        self.masterKeys = masterKeys
    }

    /// Makes the first keys if there are none, rewraps under the current master key, and returns
    /// the key set. Instances starting together serialise on an advisory lock.
    public func prepare(now: Date) async throws -> DataKeySet {
        try await pool.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('layar.data_keys'))")
            var rows = try await wrappedKeys(on: connection)
            if !rows.contains(where: { $0.purpose == "index" }) {
                rows.append(try await insertKey(id: "index", purpose: "index", usableFrom: now, on: connection))
            }
            if !rows.contains(where: { $0.purpose == "seal" }) {
                rows.append(try await insertKey(id: "dk-1", purpose: "seal", usableFrom: Date(timeIntervalSince1970: 0), on: connection))
            }
            for row in rows where row.wrappedBy != masterKeys.currentKeyID {
                let key = try unwrap(row)
                try await connection.query(
                    "UPDATE data_keys SET wrapped = $2, wrapped_by = $3 WHERE id = $1",
                    [row.id, wrap(key, id: row.id), masterKeys.currentKeyID]
                )
            }
            return try keySet(rows)
        }
    }

    /// The key set as stored now (the periodic refresh).
    public func load() async throws -> DataKeySet {
        try await pool.withConnection { try keySet(try await wrappedKeys(on: $0)) }
    }

    /// Stores a new sealing key that starts sealing after `activationDelay`. Returns its id.
    @discardableResult
    public func rotate(activationDelay: Duration = .seconds(300), now: Date) async throws -> String {
        try await pool.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('layar.data_keys'))")
            let count = try await connection.query("SELECT count(*) AS n FROM data_keys WHERE purpose = 'seal'")
                .first!.decode(Int.self, "n")
            let id = "dk-\(count + 1)"
            _ = try await insertKey(id: id, purpose: "seal", usableFrom: now.addingTimeInterval(activationDelay.inSeconds), on: connection)
            return id
        }
    }

    // MARK: - Rows

    struct WrappedKey {
        var id: String
        var purpose: String
        var wrappedBy: String
        var wrapped: [UInt8]
        var usableFrom: Date
    }

    private func wrappedKeys(on connection: PostgresConnection) async throws -> [WrappedKey] {
        try await connection.query("SELECT id, purpose, wrapped_by, wrapped, usable_from FROM data_keys ORDER BY id").map {
            WrappedKey(
                id: try $0.decode(String.self, "id"), purpose: try $0.decode(String.self, "purpose"),
                wrappedBy: try $0.decode(String.self, "wrapped_by"), wrapped: try $0.decode([UInt8].self, "wrapped"),
                usableFrom: try $0.decode(Date.self, "usable_from")
            )
        }
    }

    private func insertKey(id: String, purpose: String, usableFrom: Date, on connection: PostgresConnection) async throws -> WrappedKey {
        let row = WrappedKey(
            id: id, purpose: purpose, wrappedBy: masterKeys.currentKeyID,
            wrapped: wrap(SymmetricKey(size: .bits256), id: id), usableFrom: usableFrom
        )
        try await connection.query(
            "INSERT INTO data_keys (id, purpose, wrapped_by, wrapped, usable_from) VALUES ($1, $2, $3, $4, $5)",
            [row.id, row.purpose, row.wrappedBy, row.wrapped, row.usableFrom]
        )
        return row
    }

    private func keySet(_ rows: [WrappedKey]) throws -> DataKeySet {
        var sealing: [String: SymmetricKey] = [:]
        var usableFrom: [String: Date] = [:]
        var index: SymmetricKey?
        for row in rows {
            let key = try unwrap(row)
            if row.purpose == "index" {
                index = key
            } else {
                sealing[row.id] = key
                usableFrom[row.id] = row.usableFrom
            }
        }
        guard let index, !sealing.isEmpty else { throw PersonalDataError.unknownKey("data keys not prepared") }
        return DataKeySet(sealing: sealing, usableFrom: usableFrom, index: index)
    }

    private func wrap(_ key: SymmetricKey, id: String) -> [UInt8] {
        let box = try! AES.GCM.seal(key.withUnsafeBytes { Array($0) }, using: masterKeys.current, authenticating: Array("layar.data_key.\(id)".utf8))
        return Array(box.combined!)
    }

    private func unwrap(_ row: WrappedKey) throws -> SymmetricKey {
        guard let master = masterKeys.keys[row.wrappedBy] else { throw PersonalDataError.unknownKey("master key \(row.wrappedBy)") }
        do {
            let box = try AES.GCM.SealedBox(combined: row.wrapped)
            return SymmetricKey(data: try AES.GCM.open(box, using: master, authenticating: Array("layar.data_key.\(row.id)".utf8)))
        } catch {
            throw PersonalDataError.cannotOpen(field: "data key \(row.id)")
        }
    }
}
