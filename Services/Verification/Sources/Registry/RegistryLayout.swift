import Foundation

/// How an extract's header lays out the registry's columns, as the office receives files: a
/// comma or a semicolon between fields (Excel in an Indonesian locale writes `;`), an optional
/// UTF-8 byte-order mark, Windows line ends, and columns in any order, named in English or
/// Indonesian in any case (`NIK`, `No_KK`, `Nama`, `Tanggal Lahir`, `Desil`...). Other layouts
/// name their columns in a mapping (``aliases(mapping:)``). Columns the registry does not use are
/// skipped.
public struct RegistryLayout: Sendable, Equatable {
    /// The field separator.
    public var delimiter: UInt8
    /// How many columns each row has.
    public var fileColumns: Int
    /// For each of ``RegistryRowValidator/columns``, its position in the file.
    public var positions: [Int]

    /// The names each column is known by (lower case, spaces and hyphens as `_`), beside its own.
    public static let knownNames: [String: [String]] = [
        "registry_id": ["id_dtsen", "id_dtks", "idsemesta", "id_semesta", "no_registrasi", "id_registrasi"],
        "nik": ["no_nik", "nomor_nik"],
        "kk": ["no_kk", "nokk", "nomor_kk", "kartu_keluarga"],
        "name": ["nama", "nama_lengkap"],
        "birth_place": ["tempat_lahir", "tmp_lahir"],
        "birth_date": ["tanggal_lahir", "tgl_lahir"],
        "sex": ["jenis_kelamin", "jk"],
        "relation": ["hubungan", "hubungan_keluarga", "shdk", "hub_kk"],
        "kecamatan_code": ["kode_kecamatan", "kd_kec", "kode_kec"],
        "desa_code": ["kode_desa", "kode_kelurahan", "kd_desa", "kode_desa_kelurahan"],
        "address": ["alamat"],
        "decile": ["desil", "desil_kesejahteraan"],
        "pkh": ["penerima_pkh"],
        "bpnt": ["penerima_bpnt"],
        "pbi_jk": ["pbijk", "pbi", "penerima_pbi_jk"],
    ]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Columns the registry needs and the header does not name.
        case missing([String])
        /// Two header columns name the same registry column.
        case duplicate(String)

        public var description: String {
            switch self {
            case .missing(let columns): "the header lacks \(columns.joined(separator: ", "))"
            case .duplicate(let column): "the header names \(column) twice"
            }
        }
    }

    /// The layout of `header` (the file's first line, without its line break), reading extra
    /// names for columns from `aliases` (a mapping file's, canonical column → names).
    public static func of(_ header: [UInt8], aliases: [String: [String]] = [:]) throws(Problem) -> RegistryLayout {
        var bytes = header[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        // The separator is the one that splits the header into more fields.
        let semicolon = UInt8(ascii: ";"), comma = UInt8(ascii: ",")
        let delimiter = bytes.count(where: { $0 == semicolon }) > bytes.count(where: { $0 == comma }) ? semicolon : comma
        let names = bytes.split(separator: delimiter, omittingEmptySubsequences: false).map { normalised(String(decoding: $0, as: UTF8.self)) }
        var byName: [String: String] = [:]
        for column in RegistryRowValidator.columns {
            for name in [column] + (knownNames[column] ?? []) + (aliases[column] ?? []).map(normalised) { byName[name] = column }
        }
        var positions = [Int?](repeating: nil, count: RegistryRowValidator.columns.count)
        for (position, name) in names.enumerated() {
            guard let column = byName[name], let index = RegistryRowValidator.columns.firstIndex(of: column) else { continue }
            guard positions[index] == nil else { throw .duplicate(column) }
            positions[index] = position
        }
        let missing = zip(RegistryRowValidator.columns, positions).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else { throw .missing(missing) }
        return RegistryLayout(delimiter: delimiter, fileColumns: names.count, positions: positions.map { $0! })
    }

    /// A mapping file's aliases: one `column=name in the file` per line (`#` starts a comment).
    public static func aliases(mapping text: String) throws(Problem) -> [String: [String]] {
        var aliases: [String: [String]] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            guard !content.isEmpty else { continue }
            let parts = content.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, RegistryRowValidator.columns.contains(parts[0]), !parts[1].isEmpty else {
                throw .missing(["a mapping line 'column=name' with a registry column, not '\(content)'"])
            }
            aliases[parts[0], default: []].append(parts[1])
        }
        return aliases
    }

    /// Lower case, surrounding spaces and quotes dropped, inner spaces, hyphens and dots as `_`.
    static func normalised(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return String(trimmed.lowercased().map { " -.".contains($0) ? "_" : $0 })
    }
}
