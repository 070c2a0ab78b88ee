import Foundation
import LayarDomain

/// A registry extract as an XLSX workbook (what the office gets from the province or saves from
/// Excel): its first worksheet, read as CSV for the importer. Cells may be shared strings, inline
/// strings or numbers; a birth date Excel keeps as a date (a serial number of days) becomes
/// YYYY-MM-DD. The sheet's XML is scanned as bytes (it is regular: `<row>`, `<c r=… t=…>`,
/// `<v>`/`<is><t>`), without an XML tree, so a million rows stay within a few hundred MB. The
/// archive is opened in `XLSXWorkbook+Archive.swift`; what is here reads the XML alone (and is
/// what the `registry-xlsx` fuzz target runs).
public enum XLSXWorkbook {
    public enum Problem: Error, CustomStringConvertible {
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreadable(let why): "not a readable XLSX workbook: \(why)"
            }
        }
    }

    /// The sheet's rows as CSV; the header tells which column holds the birth date (Excel serials there become dates).
    static func csv(sheet: [UInt8], sharedStrings: [String], aliases: [String: [String]]) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(sheet.count / 3)
        var birthDateColumn: Int?
        var first = true
        try rows(of: sheet, sharedStrings: sharedStrings) { cells in
            var cells = cells
            if first {
                first = false
                let header = Array(cells.joined(separator: ",").utf8)
                birthDateColumn = (try? RegistryLayout.of(header, aliases: aliases))?.positions[5]
            } else if let column = birthDateColumn, column < cells.count, let date = excelDate(cells[column]) {
                cells[column] = date
            }
            output.append(contentsOf: cells.map(CSVLine.field).joined(separator: ",").utf8)
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    /// An Excel date serial (days since 1899-12-30 in the 1900 system) as YYYY-MM-DD; nil for anything else.
    static func excelDate(_ cell: String) -> String? {
        let whole = cell.hasSuffix(".0") ? String(cell.dropLast(2)) : cell
        guard !whole.isEmpty, whole.count <= 6, whole.allSatisfy(\.isASCII), let days = Int(whole), days > 60 else { return nil }
        return CivilDate(year: 1899, month: 12, day: 30).adding(days: days).description
    }

    /// The patterns of a sheet, made once.
    enum Pattern {
        static let row = XMLScanner.Tag("row")
        static let cell = XMLScanner.Tag("c")
        static let value = XMLScanner.Tag("v")
        static let text = XMLScanner.Tag("t")
        static let sharedString = XMLScanner.Tag("si")
        static let phonetic = Array("<rPh".utf8)
        static let reference = Array(" r=\"".utf8)
        static let type = Array(" t=\"".utf8)
    }

    /// Calls `body` with each row's cells, by column (missing cells empty).
    static func rows(of sheet: [UInt8], sharedStrings: [String], _ body: ([String]) throws -> Void) throws {
        var scanner = XMLScanner(sheet)
        while let rowStart = scanner.next(Pattern.row.open) {
            let rowEnd = scanner.find(Pattern.row.close, from: rowStart) ?? sheet.count
            var cells: [String] = []
            var position = rowStart
            while let cellStart = scanner.find(Pattern.cell.open, from: position), cellStart < rowEnd {
                guard let tagEnd = scanner.find(XMLScanner.tagEnd, from: cellStart) else { break }
                let next = sheet[cellStart + 2]
                guard next == UInt8(ascii: " ") || next == UInt8(ascii: ">") || next == UInt8(ascii: "/") else {
                    position = tagEnd + 1  // another element starting with "c"
                    continue
                }
                let attributes = cellStart + 2..<tagEnd
                let column = scanner.attribute(Pattern.reference, in: attributes).flatMap { columnIndex(sheet[$0]) } ?? cells.count
                let type = scanner.attribute(Pattern.type, in: attributes).map { sheet[$0] }
                var value = ""
                if sheet[tagEnd - 1] != UInt8(ascii: "/"), let close = scanner.find(Pattern.cell.close, from: tagEnd) {
                    let content = tagEnd + 1..<close
                    if let type, type.elementsEqual("inlineStr".utf8) {
                        value = scanner.texts(of: Pattern.text, in: content).joined()
                    } else if let type, type.elementsEqual("s".utf8) {
                        value = Int(scanner.texts(of: Pattern.value, in: content).first ?? "")
                            .flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
                    } else {
                        value = scanner.texts(of: Pattern.value, in: content).first ?? ""
                    }
                    position = close + Pattern.cell.close.count
                } else {
                    position = tagEnd + 1
                }
                guard column < 16_384 else { throw Problem.unreadable("a cell beyond column XFD") }
                while cells.count < column { cells.append("") }
                if cells.count == column { cells.append(value) } else { cells[column] = value }
            }
            scanner.position = rowEnd
            try body(cells)
        }
    }

    /// The shared strings table: each `<si>`'s text runs joined (phonetic runs left out).
    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var scanner = XMLScanner(xml)
        var strings: [String] = []
        while let start = scanner.next(Pattern.sharedString.open) {
            let end = scanner.find(Pattern.sharedString.close, from: start) ?? xml.count
            var content = start..<end
            if let phonetic = scanner.find(Pattern.phonetic, from: start), phonetic < end { content = start..<phonetic }
            strings.append(scanner.texts(of: Pattern.text, in: content).joined())
            scanner.position = end
        }
        return strings
    }

    /// The first sheet's path in the archive, through the workbook's relationships.
    static func firstSheetPath(workbook: [UInt8]?, relations: [UInt8]?) -> String {
        let fallback = "xl/worksheets/sheet1.xml"
        guard let workbook, let relations else { return fallback }
        var scanner = XMLScanner(workbook)
        guard let sheet = scanner.next(Array("<sheet ".utf8)), let end = scanner.find(">", from: sheet),
              let id = scanner.attribute("r:id", in: sheet..<end)
        else { return fallback }
        var relationScanner = XMLScanner(relations)
        while let start = relationScanner.next(Array("<Relationship ".utf8)), let end = relationScanner.find(">", from: start) {
            if relationScanner.attribute("Id", in: start..<end) == id, let target = relationScanner.attribute("Target", in: start..<end) {
                return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        return fallback
    }

    /// "B7" → 1 (column letters, 0-based); nil without letters.
    static func columnIndex(_ reference: some Collection<UInt8>) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference {
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) else { break }
            index = index * 26 + Int(byte - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }
}
