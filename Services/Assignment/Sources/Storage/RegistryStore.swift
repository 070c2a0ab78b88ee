import Crypto
import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The registries of case workers and institutions, and the institutions' partner keys.
struct RegistryStore: Sendable {
    let cases: CaseStore
    var pool: PostgresPool { cases.pool }

    // MARK: - Case workers

    func caseWorkers() async throws -> [Layar_V1_CaseWorker] {
        try await pool.query(
            """
            SELECT id, name, role, kecamatan_codes, capacity, active, open_cases AS open
            FROM case_workers ORDER BY id
            """
        ).map { row in
            try Layar_V1_CaseWorker.with {
                $0.id = try row.decode(String.self, "id")
                $0.name = try row.decode(String.self, "name")
                $0.role = try row.decode(String.self, "role") == "tksk" ? .tksk : .pekerjaSosial
                $0.kecamatanCodes = try row.decode(PostgresTextArray.self, "kecamatan_codes").elements
                $0.capacity = try row.decode(Int32.self, "capacity")
                $0.openCases = try row.decode(Int32.self, "open")
                $0.active = try row.decode(Bool.self, "active")
            }
        }
    }

    /// Adds or updates a case worker, then assigns waiting cases the change makes room for.
    func upsert(_ worker: Layar_V1_CaseWorker, at time: Date) async throws -> Layar_V1_CaseWorker {
        try await pool.withTransaction { connection in
            try await connection.query(
                """
                INSERT INTO case_workers (id, name, role, kecamatan_codes, capacity, active)
                VALUES ($1, $2, $3, $4::text[], $5, $6)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
                    kecamatan_codes = excluded.kecamatan_codes, capacity = excluded.capacity, active = excluded.active
                """,
                [
                    worker.id, worker.name, worker.role == .tksk ? "tksk" : "pekerja_sosial",
                    PostgresTextArray(worker.kecamatanCodes), worker.capacity, worker.active,
                ]
            )
            try await cases.assignWaitingCases(coveredBy: worker.id, at: time, on: connection)
        }
        return try await caseWorkers().first { $0.id == worker.id }!
    }

    // MARK: - Institutions

    func institutions() async throws -> [Layar_V1_Institution] {
        try await pool.withConnection { try await Self.institutions(on: $0) }
    }

    static func institutions(on connection: PostgresConnection) async throws -> [Layar_V1_Institution] {
        try await connection.query(
            """
            SELECT code, name, kind, operator, location, ppks_kinds, services, eligibility_notes, required_documents,
                capacity_total, capacity_available, capacity_updated_at, service_area, contact, topic_prefix,
                requires_identification, active
            FROM institutions ORDER BY code
            """
        ).map(institution(from:))
    }

    /// One institution (a regency deals with a handful: reading them all keeps one column list).
    static func institution(code: String, on connection: PostgresConnection) async throws -> Layar_V1_Institution? {
        try await institutions(on: connection).first { $0.code == code }
    }

    func upsert(_ institution: Layar_V1_Institution) async throws -> Layar_V1_Institution {
        try await pool.withTransaction { connection in
            try await connection.query(
                """
                INSERT INTO institutions (code, name, kind, operator, location, ppks_kinds, services, eligibility_notes,
                    required_documents, capacity_total, capacity_available, capacity_updated_at, service_area, contact,
                    topic_prefix, requires_identification, active)
                VALUES ($1, $2, $3, $4, $5, $6::text[], $7::integer[], $8, $9::integer[], $10, $11, $17, $12::text[],
                    $13, $14, $15, $16)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, operator = excluded.operator,
                    location = excluded.location, ppks_kinds = excluded.ppks_kinds, services = excluded.services,
                    eligibility_notes = excluded.eligibility_notes, required_documents = excluded.required_documents,
                    capacity_total = excluded.capacity_total, capacity_available = excluded.capacity_available,
                    capacity_updated_at = excluded.capacity_updated_at, service_area = excluded.service_area,
                    contact = excluded.contact, topic_prefix = excluded.topic_prefix,
                    requires_identification = excluded.requires_identification, active = excluded.active
                """,
                [
                    institution.code, institution.name, institution.kind.rawValue, institution.operator,
                    institution.location, PostgresTextArray(institution.ppksKinds),
                    PostgresTextArray(enumValues: institution.services), institution.eligibilityNotes,
                    PostgresTextArray(enumValues: institution.requiredDocuments), institution.capacityTotal,
                    institution.capacityAvailable, PostgresTextArray(institution.serviceArea), institution.contact,
                    institution.topicPrefix, institution.requiresIdentification, institution.active, cases.clock.now,
                ]
            )
            return try await Self.institution(code: institution.code, on: connection)!
        }
    }

    /// Records the institution's free and total places now.
    func updateCapacity(code: String, available: Int32, total: Int32, at time: Date) async throws -> Layar_V1_Institution {
        try await pool.withTransaction { connection in
            try await connection.query(
                """
                UPDATE institutions SET capacity_available = $2, capacity_total = $3, capacity_updated_at = $4
                WHERE code = $1
                """, [code, available, total, time])
            guard let institution = try await Self.institution(code: code, on: connection) else {
                throw CaseActionError.invalidField(field: "institution_code", message: "Lembaga tidak ditemukan")
            }
            return institution
        }
    }

    // MARK: - Partner keys

    /// A new random key for the institution; only its SHA-256 is kept, so it is shown once.
    func issuePartnerKey(code: String) async throws -> String {
        let key = PartnerKey.generate()
        let updated = try await pool.query(
            "UPDATE institutions SET partner_key_hash = $2 WHERE code = $1", [code, PartnerKey.digest(key)]
        )
        guard updated.affectedRows == 1 else {
            throw CaseActionError.invalidField(field: "institution_code", message: "Lembaga tidak ditemukan")
        }
        return key
    }

    /// The active institution a partner key belongs to.
    func institutionCode(forKey key: String) async throws -> String? {
        try await pool.query(
            "SELECT code FROM institutions WHERE partner_key_hash = $1 AND active", [PartnerKey.digest(key)]
        ).first?.decode(String.self, "code")
    }

    private static func institution(from row: PostgresRow) throws -> Layar_V1_Institution {
        try Layar_V1_Institution.with {
            $0.code = try row.decode(String.self, "code")
            $0.name = try row.decode(String.self, "name")
            $0.kind = Layar_V1_InstitutionKind(rawValue: try row.decode(Int.self, "kind")) ?? .other
            $0.operator = try row.decode(String.self, "operator")
            $0.location = try row.decode(String.self, "location")
            $0.ppksKinds = try row.decode(PostgresTextArray.self, "ppks_kinds").elements
            $0.services = try row.decode(PostgresTextArray.self, "services").enumValues()
            $0.eligibilityNotes = try row.decode(String.self, "eligibility_notes")
            $0.requiredDocuments = try row.decode(PostgresTextArray.self, "required_documents").enumValues()
            $0.capacityTotal = try row.decode(Int32.self, "capacity_total")
            $0.capacityAvailable = try row.decode(Int32.self, "capacity_available")
            if let updated = try row.decode(Date?.self, "capacity_updated_at") {
                $0.capacityUpdatedAt = Google_Protobuf_Timestamp(date: updated)
            }
            $0.serviceArea = try row.decode(PostgresTextArray.self, "service_area").elements
            $0.contact = try row.decode(String.self, "contact")
            $0.topicPrefix = try row.decode(String.self, "topic_prefix")
            $0.requiresIdentification = try row.decode(Bool.self, "requires_identification")
            $0.active = try row.decode(Bool.self, "active")
        }
    }
}

/// Partner API keys: `lyrp_` and 32 random characters (about 160 bits); stored as SHA-256.
enum PartnerKey {
    static func generate() -> String {
        "lyrp_" + String((0..<32).map { _ in RandomCode.alphabet.randomElement()! })
    }

    static func digest(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(key.utf8)))
    }
}
