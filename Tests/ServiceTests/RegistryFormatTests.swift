import Foundation
import LayarDomain
import LayarTestSupport
@testable import LayarVerification
import Testing
import ZIPFoundation

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

    /// A workbook as Excel writes one: shared strings for text, numbers for flags and deciles, the
    /// birth date as a date serial, an inline string, a sparse row; `lines` are canonical CSV rows.
    static func workbook(_ lines: [String], at path: String) throws {
        var shared: [String] = []
        func sharedIndex(_ text: String) -> Int {
            if let index = shared.firstIndex(of: text) { return index }
            shared.append(text)
            return shared.count - 1
        }
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func column(_ index: Int) -> String { String(UnicodeScalar(65 + index)!) }
        var rows = ""
        for (rowIndex, line) in lines.enumerated() {
            let fields = CSVLine.withFields(Array(line.utf8)) { fields in (0..<fields!.count).map { String(decoding: fields![$0], as: UTF8.self) } }
            var cells = ""
            for (index, value) in fields.enumerated() where !value.isEmpty {
                let reference = "\(column(index))\(rowIndex + 1)"
                let numeric = rowIndex > 0 && (11...14).contains(index)
                if rowIndex > 0 && index == 5 {
                    let parts = value.split(separator: "-").compactMap { Int($0) }
                    let serial = Int(CivilDate(year: parts[0], month: parts[1], day: parts[2]).startInBalangan
                        .timeIntervalSince(CivilDate(year: 1899, month: 12, day: 30).startInBalangan) / 86_400)
                    cells += "<c r=\"\(reference)\" s=\"1\"><v>\(serial)</v></c>"
                } else if numeric {
                    cells += "<c r=\"\(reference)\"><v>\(value)</v></c>"
                } else if index == 10 {
                    cells += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escaped(value))</t></is></c>"
                } else {
                    cells += "<c r=\"\(reference)\" t=\"s\"><v>\(sharedIndex(value))</v></c>"
                }
            }
            rows += "<row r=\"\(rowIndex + 1)\">\(cells)</row>"
        }
        let files = [
            "xl/workbook.xml": #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DTSEN" sheetId="1" r:id="rId7"/></sheets></workbook>"#,
            "xl/_rels/workbook.xml.rels": #"<?xml version="1.0" encoding="UTF-8"?><Relationships><Relationship Id="rId7" Type="worksheet" Target="worksheets/data.xml"/></Relationships>"#,
            "xl/worksheets/data.xml": #"<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>"# + rows + "</sheetData></worksheet>",
            "xl/sharedStrings.xml": #"<?xml version="1.0" encoding="UTF-8"?><sst>"# + shared.map { "<si><t xml:space=\"preserve\">\(escaped($0))</t></si>" }.joined() + "</sst>",
        ]
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    @Test("an XLSX workbook loads like its CSV: shared and inline strings, numbers, date serials, its own sheet name")
    func workbook() async throws {
        let (database, store) = try await VerificationStoreTests.prepare()
        var canonical = try VerificationStoreTests.extract(rows: 300, seed: 11)
        canonical[0] = Self.indonesianNames.joined(separator: ",")
        canonical[3] = canonical[3].replacingOccurrences(of: ",63.11.", with: ",63.10.")  // one bad row
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dtsen-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.workbook(canonical, at: path)
        #expect(XLSXWorkbook.isWorkbook(atPath: path))
        var importer = RegistryImporter(pool: database.pool, cipher: store.cipher, clock: store.clock, logger: TestEnvironment.logger)
        importer.maximumRejectedRatio = 0.01
        let report = try await importer.importFile(at: path, source: "DTSEN xlsx", snapshotDate: CivilDate(year: 2026, month: 10, day: 1))
        #expect(report.rows == 299 && report.rejected == 1 && report.rejections.first?.line == 4, "\(report.rejections)")
        let fields = canonical[10].split(separator: ",", omittingEmptySubsequences: false)
        let match = try await database.pool.withConnection { try await store.registry.person(nik: String(fields[1]), on: $0) }
        #expect(match?.registryID == String(fields[0]) && match?.decile == Int(fields[fields.count - 4]))
        try await database.drop()
    }

    @Test("XML entities and character references in cells are decoded; cells are placed by their reference")
    func xmlCells() throws {
        let sheet = Array(#"<sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>Jl. A &amp; B &#x2013; &quot;Damai&quot;</t></is></c><c r="D1"><v>45000</v></c></row></sheetData>"#.utf8)
        var rows: [[String]] = []
        try XLSXWorkbook.rows(of: sheet, sharedStrings: []) { rows.append($0) }
        #expect(rows == [["", "Jl. A & B \u{2013} \"Damai\"", "", "45000"]])
        #expect(XLSXWorkbook.excelDate("21916") == "1960-01-01" && XLSXWorkbook.excelDate("PKH") == nil)
        #expect(XLSXWorkbook.columnIndex(Array("AB12".utf8)) == 27)
    }

    @Test("a line break inside an XLSX cell, CRLF included, stays inside its row's CSV line")
    func lineBreakInACell() throws {
        let sheet = Array(#"<row><c r="A1" t="inlineStr"><is><t>Gang&#13;&#10;Damai</t></is></c><c r="B1"><v>7</v></c></row>"#.utf8)
        let csv = try XLSXWorkbook.csv(sheet: sheet, sharedStrings: [], aliases: [:])
        #expect(String(decoding: csv, as: UTF8.self) == "\"Gang Damai\",7\n")
        #expect(CSVLine.field("a\r\nb") == "\"a b\"" && CSVLine.field("a\nb") == "\"a b\"" && CSVLine.field("ab") == "ab")
    }
}
