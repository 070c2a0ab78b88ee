import Foundation
import ZIPFoundation

/// Opening the workbook: the ZIP archive's entries, handed to the XML readers.
extension XLSXWorkbook {
    /// True when the file starts like a ZIP archive (an XLSX workbook is one).
    public static func isWorkbook(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// The first worksheet as comma CSV (fields quoted where needed), header row first.
    public static func csv(atPath path: String, aliases: [String: [String]] = [:]) throws -> [UInt8] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Problem.unreadable("\(error)")
        }
        func entry(_ name: String) throws -> [UInt8]? {
            guard let entry = archive[name] else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            _ = try archive.extract(entry, skipCRC32: true) { bytes.append(contentsOf: $0) }
            return bytes
        }
        let shared = try entry("xl/sharedStrings.xml").map(sharedStrings) ?? []
        guard let sheet = try entry(try firstSheetPath(workbook: entry("xl/workbook.xml"), relations: entry("xl/_rels/workbook.xml.rels"))) else {
            throw Problem.unreadable("no worksheet")
        }
        return try csv(sheet: sheet, sharedStrings: shared, aliases: aliases)
    }
}
