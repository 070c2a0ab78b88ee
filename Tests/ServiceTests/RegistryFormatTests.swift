import Foundation
import LayarDomain
import LayarTestSupport
@testable import LayarVerification
import Testing

/// The registry as the office receives it: Excel's semicolons, a byte-order mark and CRLF, columns
/// in any order under Indonesian names, other layouts through a mapping file, every rejected row
/// in a report file, and the rejection limit as the README states it.
@Suite("Registry file formats")
struct RegistryFormatTests {
    /// `lines` (canonical comma CSV) rewritten with the columns in `order` under `names`, joined by `delimiter`.
    static func rewritten(_ lines: [String], order: [Int], names: [String], delimiter: String) -> [String] {
        let header = order.map { names[$0] }.joined(separator: delimiter)
        return [header] + lines.dropFirst().map { line in
            let fields = CSVLine.withFields(Array(line.utf8)) { fields in
                (0..<fields!.count).map { String(decoding: fields![$0], as: UTF8.self) }
            }
            return order.map { index in
                let value = fields[index]
                return value.contains(delimiter) ? "\"\(value)\"" : value
            }.joined(separator: delimiter)
        }
    }

    static let indonesianNames = [
        "ID DTSEN", "NIK", "No KK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Hubungan Keluarga",
        "Kode Kecamatan", "Kode Desa", "Alamat", "Desil", "PKH", "BPNT", "PBI-JK",
    ]

    @Test("an Excel export: semicolons, a BOM, CRLF, columns reordered under Indonesian names, one more column")
    func excelExport() async throws {
        let (database, store) = try await VerificationStoreTests.prepare()
        let canonical = try VerificationStoreTests.extract(rows: 400, seed: 7)
        var lines = Self.rewritten(canonical, order: [3, 1, 0, 2, 4, 5, 6, 7, 8, 9, 10, 14, 13, 12, 11], names: Self.indonesianNames, delimiter: ";")
        lines[0] = "\u{FEFF}" + lines[0] + ";Keterangan"
        for index in 1..<lines.count { lines[index] += ";-" }
        let report = try await VerificationStoreTests.importLines(lines, into: database, store: store)
        #expect(report.rows == 400 && report.rejected == 0, "\(report.rejections)")
        // The same person is found as from the canonical file.
        let fields = canonical[10].split(separator: ",", omittingEmptySubsequences: false)
        let match = try await database.pool.withConnection { try await store.registry.person(nik: String(fields[1]), on: $0) }
        #expect(match?.registryID == String(fields[0]))
        #expect(match?.decile == Int(fields[fields.count - 4]))  // counted from the end: the address is quoted, with commas
        try await database.drop()
    }

    @Test("another layout loads through a mapping file; a header without a needed column is refused, naming it")
    func mappingAndMissingColumns() async throws {
        let (database, store) = try await VerificationStoreTests.prepare()
        let canonical = try VerificationStoreTests.extract(rows: 50, seed: 8)
        var names = RegistryRowValidator.columns
        names[0] = "IDSEMESTA_2026"
        names[11] = "Peringkat Kesejahteraan"
        let lines = Self.rewritten(canonical, order: Array(0..<15), names: names, delimiter: ",")
        let refused = await #expect(throws: RegistryImporter.BadHeader.self) {
            try await VerificationStoreTests.importLines(lines, into: database, store: store)
        }
        #expect(refused?.problem == .missing(["registry_id", "decile"]))
        let aliases = try RegistryLayout.aliases(mapping: """
            # DTSEN 2026 layout of the province
            registry_id = IDSEMESTA_2026
            decile=Peringkat Kesejahteraan
            """)
        let report = try await VerificationStoreTests.importLines(lines, into: database, store: store, aliases: aliases)
        #expect(report.rows == 50 && report.rejected == 0)
        #expect(throws: RegistryLayout.Problem.self) { try RegistryLayout.aliases(mapping: "umur=Usia") }
        #expect(throws: RegistryLayout.Problem.duplicate("nik")) { try RegistryLayout.of(Array("NIK,no_nik".utf8)) }
        try await database.drop()
    }

    @Test("every rejected row goes to the report file with its line and reason; the limit is 1 % rounded down")
    func rejectedReportAndLimit() async throws {
        let (database, store) = try await VerificationStoreTests.prepare()
        var lines = try VerificationStoreTests.extract(rows: 300, seed: 9)
        lines[4] = lines[4].replacingOccurrences(of: ",63.11.", with: ",63.10.")
        lines[6] = "DTSEN-X,123" + lines[6].drop { $0 != "," }.dropFirst().drop { $0 != "," }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("ditolak-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let loaded = try await VerificationStoreTests.importLines(lines, into: database, store: store, rejectedReport: report)
        #expect(loaded.rows == 298 && loaded.rejected == 2 && loaded.allowedRejections == 3)
        let written = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written.first == "line,reason")
        #expect(written.count == 3 && written[1].hasPrefix("5,") && written[1].contains("not in Kabupaten Balangan") && written[2].hasPrefix("7,nik"))
        // 99 rows may not have a single bad one (1 % of 99, rounded down, is 0): nothing is loaded.
        var small = try VerificationStoreTests.extract(rows: 99, seed: 10)
        small[3] = small[3].replacingOccurrences(of: ",63.11.", with: ",63.10.")
        await #expect(throws: RegistryImporter.TooManyRejected.self) {
            try await VerificationStoreTests.importLines(small, into: database, store: store)
        }
        #expect(try await store.snapshot()?.rows == 298, "the previous snapshot stays")
        try await database.drop()
    }
}
