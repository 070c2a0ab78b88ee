import Foundation
import LayarDomain

// libFuzzer target: a worksheet's XML as an XLSX registry extract holds it (the bytes up to the
// first NUL are the sheet, the rest the shared strings table). Reading it never traps, and every
// row goes to the importer as one CSV line that splits back into exactly its cells (a line break
// inside a cell becomes a space), so no cell can spill into its neighbour or the next row.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let sheet = Array(bytes[..<split])
    let shared = XLSXWorkbook.sharedStrings(Array(bytes[split...].dropFirst()))
    var rows: [[String]] = []
    guard (try? XLSXWorkbook.rows(of: sheet, sharedStrings: shared) { rows.append($0) }) != nil else { return 0 }
    for cells in rows where cells.count <= CSVLine.maximumFields {
        let line = Array(cells.map(CSVLine.field).joined(separator: ",").utf8)
        let back: [String]? = CSVLine.withFields(line) { fields in
            fields.map { fields in (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) } }
        }
        // An empty row is an empty line, read as one empty field (the importer skips it).
        let expected = cells.isEmpty ? [""] : cells.map { String($0.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }) }
        precondition(back == expected, "a row's cells \(expected) came back as \(String(describing: back))")
    }
    precondition((try? XLSXWorkbook.csv(sheet: sheet, sharedStrings: shared, aliases: [:])) != nil, "rows read but the CSV failed")
    return 0
}
