import Foundation
import LayarPostgres
import LayarRuntime

/// A person found in the current registry snapshot: what verification needs as evidence.
public struct RegistryMatch: Sendable, Equatable {
    public init(registryID: String, decile: Int?, pkh: Bool, bpnt: Bool, pbiJK: Bool, kecamatanCode: String, desaCode: String, familyMembers: Int) {
        self.registryID = registryID
        self.decile = decile
        self.pkh = pkh
        self.bpnt = bpnt
        self.pbiJK = pbiJK
        self.kecamatanCode = kecamatanCode
        self.desaCode = desaCode
        self.familyMembers = familyMembers
    }

    public var registryID: String
    public var decile: Int?
    public var pkh: Bool
    public var bpnt: Bool
    public var pbiJK: Bool
    public var kecamatanCode: String
    public var desaCode: String
    public var familyMembers: Int
}

/// Lookups in the current registry snapshot, by NIK and by family card, through their blind
/// indexes (anything but 16 digits is simply not there).
struct RegistryLookup: Sendable {
    let cipher: PersonalDataCipher

    func person(nik: String, on connection: PostgresConnection) async throws -> RegistryMatch? {
        guard Self.isSixteenDigits(nik), let row = try await connection.query(
            """
            SELECT p.registry_id, p.decile, p.pkh, p.bpnt, p.pbi_jk, p.kecamatan_code, p.desa_code,
                (SELECT count(*) FROM registry_current f WHERE f.kk_index = p.kk_index) AS family
            FROM registry_current p WHERE p.nik_index = $1 LIMIT 1
            """, [cipher.blindIndexer(.registryNIK).index128(Array(nik.utf8)[...])]
        ).first else { return nil }
        return RegistryMatch(
            registryID: try row.decode(String.self, "registry_id"),
            decile: try row.decode(Int?.self, "decile"), pkh: try row.decode(Bool.self, "pkh"),
            bpnt: try row.decode(Bool.self, "bpnt"), pbiJK: try row.decode(Bool.self, "pbi_jk"),
            kecamatanCode: try row.decode(String.self, "kecamatan_code"), desaCode: try row.decode(String.self, "desa_code"),
            familyMembers: try row.decode(Int.self, "family")
        )
    }

    /// The registry ids of a family card's members.
    func family(kk: String, on connection: PostgresConnection) async throws -> [String] {
        guard Self.isSixteenDigits(kk) else { return [] }
        return try await connection.query(
            "SELECT registry_id FROM registry_current WHERE kk_index = $1 ORDER BY registry_id",
            [cipher.blindIndexer(.registryKK).index128(Array(kk.utf8)[...])]
        ).map { try $0.decode(String.self, "registry_id") }
    }

    static func isSixteenDigits(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
