import LayarPostgres

/// The two registry tables that take turns. SQL is static per table: the table name is never
/// built from data.
enum RegistrySlot: String, Sendable {
    case a, b

    var other: RegistrySlot { self == .a ? .b : .a }

    var truncate: StaticString {
        switch self {
        case .a: "TRUNCATE registry_people_a"
        case .b: "TRUNCATE registry_people_b"
        }
    }

    /// Indexes slow a bulk load down; they are rebuilt after it.
    var dropIndexes: StaticString {
        switch self {
        case .a: "DROP INDEX IF EXISTS registry_a_nik, registry_a_kk"
        case .b: "DROP INDEX IF EXISTS registry_b_nik, registry_b_kk"
        }
    }

    /// Full leaves: a snapshot is never written after its load.
    var createIndexes: [StaticString] {
        switch self {
        case .a:
            [
                "CREATE INDEX registry_a_nik ON registry_people_a (nik_index) WITH (fillfactor = 100)",
                "CREATE INDEX registry_a_kk ON registry_people_a (kk_index) WITH (fillfactor = 100)",
            ]
        case .b:
            [
                "CREATE INDEX registry_b_nik ON registry_people_b (nik_index) WITH (fillfactor = 100)",
                "CREATE INDEX registry_b_kk ON registry_people_b (kk_index) WITH (fillfactor = 100)",
            ]
        }
    }

    /// Validated rows go in as binary tuples with only what verification uses (see
    /// ``RegistryRowValidator/appendCopyTuple(_:nik:kk:to:)``).
    var copy: StaticString {
        switch self {
        case .a:
            """
            COPY registry_people_a (registry_id, nik_index, kk_index, kecamatan_code, desa_code, decile, pkh, bpnt, pbi_jk)
                FROM STDIN WITH (FORMAT binary, FREEZE)
            """
        case .b:
            """
            COPY registry_people_b (registry_id, nik_index, kk_index, kecamatan_code, desa_code, decile, pkh, bpnt, pbi_jk)
                FROM STDIN WITH (FORMAT binary, FREEZE)
            """
        }
    }

    var activate: StaticString {
        switch self {
        case .a: "CREATE OR REPLACE VIEW registry_current AS SELECT * FROM registry_people_a"
        case .b: "CREATE OR REPLACE VIEW registry_current AS SELECT * FROM registry_people_b"
        }
    }
}
