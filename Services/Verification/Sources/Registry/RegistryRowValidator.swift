import Foundation
import LayarDomain

/// Checks one row of a registry extract (DTKS/DTSEN CSV) and passes what verification keeps of it
/// on to COPY in CSV form. Works on the row's bytes: a million rows must load close to the speed
/// of `psql \copy`.
///
/// Columns, in this order (the header line names them): registry_id, nik, kk, name, birth_place,
/// birth_date (YYYY-MM-DD), sex (L/P), relation, kecamatan_code, desa_code, address, decile (1–10, or
/// empty in DTKS extracts), pkh, bpnt, pbi_jk (0/1).
public enum RegistryRowValidator {
    public static let columns = [
        "registry_id", "nik", "kk", "name", "birth_place", "birth_date", "sex", "relation", "kecamatan_code",
        "desa_code", "address", "decile", "pkh", "bpnt", "pbi_jk",
    ]

    /// Validates a row's `fields`; the reason when it is invalid, nil when it may be loaded.
    public static func problem(_ fields: [ArraySlice<UInt8>]) -> String? {
        guard fields.count == columns.count else { return "expected \(columns.count) columns, found \(fields.count)" }
        if fields[0].isEmpty { return "registry_id is empty" }
        let nik: NIK.Parts
        switch NIK.parts(fields[1]) {
        case .success(let parts): nik = parts
        case .failure(let problem): return "nik: \(problem.code)"
        }
        if !isDigits(fields[2], count: 16) { return "kk must be 16 digits" }
        if fields[3].isEmpty { return "name is empty" }
        guard let birth = date(fields[5]), birth.isValid else { return "birth_date must be a real YYYY-MM-DD date" }
        let female: Bool
        switch fields[6].first {
        case UInt8(ascii: "P") where fields[6].count == 1: female = true
        case UInt8(ascii: "L") where fields[6].count == 1: female = false
        default: return "sex must be L or P"
        }
        if !nik.mismatches(birthYear: birth.year, birthMonth: birth.month, birthDay: birth.day, isFemale: female).isEmpty {
            return "nik disagrees with birth_date or sex"
        }
        let kecamatan = String(decoding: fields[8], as: UTF8.self)
        let desa = String(decoding: fields[9], as: UTF8.self)
        if BalanganRegions.kecamatan[kecamatan] == nil { return "kecamatan_code \(kecamatan) is not in Kabupaten Balangan" }
        if !BalanganRegions.desa(desa, isIn: kecamatan) { return "desa_code \(desa) is not in kecamatan \(kecamatan)" }
        if !fields[11].isEmpty {
            guard isDigits(fields[11], upTo: 2), let value = Int(String(decoding: fields[11], as: UTF8.self)), (1...10).contains(value)
            else { return "decile must be 1 to 10 or empty" }
        }
        for index in 12..<15 where !(fields[index].count == 1 && fields[index].first! &- UInt8(ascii: "0") < 2) {
            return "\(columns[index]) must be 0 or 1"
        }
        return nil
    }

    /// Appends what verification keeps of a valid row, for `COPY ... (FORMAT csv)`: the registry
    /// id (quoted), the blind indexes of NIK and KK (16 bytes in hex, a `uuid`'s input form),
    /// kecamatan, desa, decile (empty: NULL), pkh, bpnt, pbi_jk. Names, birth data, relation and address are
    /// validated and left behind (UU 27/2022: only what the purpose needs). `nik` and `kk` make
    /// the indexes (the service's blind indexers).
    public static func appendMinimisedCSV(
        _ fields: [ArraySlice<UInt8>], nik: (ArraySlice<UInt8>) -> UUID, kk: (ArraySlice<UInt8>) -> UUID,
        to output: inout [UInt8]
    ) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        output.append(quote)
        for byte in fields[0] {
            if byte == quote { output.append(byte) }
            output.append(byte)
        }
        output.append(quote)
        output.append(comma)
        appendHex(nik(fields[1]), to: &output)
        output.append(comma)
        appendHex(kk(fields[2]), to: &output)
        for column in keptColumns {
            output.append(comma)
            output.append(contentsOf: fields[column])  // validated: codes and digits, nothing to quote
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// kecamatan_code, desa_code, decile, pkh, bpnt, pbi_jk.
    private static let keptColumns = [8, 9, 11, 12, 13, 14]
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendHex(_ id: UUID, to output: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { bytes in
            for byte in bytes {
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    static func isDigits(_ field: ArraySlice<UInt8>, count: Int) -> Bool {
        field.count == count && field.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

    static func isDigits(_ field: ArraySlice<UInt8>, upTo count: Int) -> Bool {
        !field.isEmpty && field.count <= count && field.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

    static func date(_ field: ArraySlice<UInt8>) -> CivilDate? {
        guard field.count == 10 else { return nil }
        let start = field.startIndex
        guard field[start + 4] == UInt8(ascii: "-"), field[start + 7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = field[start + index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}

/// Splits CSV lines into fields: commas, double-quoted fields with `""` for a quote. A quoted field
/// may not span lines (registry extracts keep addresses on one line).
public enum CSVLine {
    /// True when quotes appear only where CSV puts them: opening a field, doubled inside a quoted
    /// field, and closing it. Such a line means the same to PostgreSQL's CSV reader as to ``fields(_:)``.
    public static func isStandard(_ line: ArraySlice<UInt8>) -> Bool {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var index = line.startIndex
        var fieldStart = true
        var inQuotes = false
        while index < line.endIndex {
            let byte = line[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < line.endIndex, line[index + 1] == quote {
                        index += 1
                    } else {
                        inQuotes = false
                        guard index + 1 == line.endIndex || line[index + 1] == comma else { return false }
                    }
                }
            } else if byte == quote {
                guard fieldStart else { return false }
                inQuotes = true
            }
            fieldStart = !inQuotes && byte == comma
            index += 1
        }
        return !inQuotes
    }

    public static func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        guard line.contains(UInt8(ascii: "\"")) else {
            return line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        }
        var fields: [ArraySlice<UInt8>] = []
        var index = line.startIndex
        while true {
            if index < line.endIndex, line[index] == UInt8(ascii: "\"") {
                var value: [UInt8] = []
                index += 1
                while true {
                    guard index < line.endIndex else { return nil }  // unterminated quote
                    if line[index] == UInt8(ascii: "\"") {
                        if index + 1 < line.endIndex, line[index + 1] == UInt8(ascii: "\"") {
                            value.append(UInt8(ascii: "\""))
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(line[index])
                    index += 1
                }
                fields.append(value[...])
                if index == line.endIndex { return fields }
                guard line[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            } else {
                let end = line[index...].firstIndex(of: UInt8(ascii: ",")) ?? line.endIndex
                fields.append(line[index..<end])
                if end == line.endIndex { return fields }
                index = end + 1
            }
        }
    }
}
