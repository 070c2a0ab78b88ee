import Foundation
import LayarDomain

/// Writes realistic synthetic registry extracts for tests and benchmarks: families under one
/// family card, NIKs valid for their birth date and sex with Balangan region codes, real
/// kecamatan and desa codes, deciles and programme flags. Invented people only: never real data.
public struct SyntheticRegistry: Sendable {
    public var seed: UInt64
    /// Every `badEvery`-th row is made invalid (a wrong NIK), to exercise rejection; 0 for none.
    public var badEvery = 0

    public init(seed: UInt64 = 2026) {
        self.seed = seed
    }

    static let givenNames = ["Ahmad", "Siti", "Muhammad", "Nur", "Rahmat", "Aisyah", "Hendra", "Rina", "Fajar", "Dewi", "Yusuf", "Lina", "Rusdi", "Halimah", "Saiful", "Mariani"]
    static let familyNames = ["Rahman", "Hidayat", "Saputra", "Lestari", "Maulana", "Fitriani", "Hamdani", "Yuliani", "Fauzan", "Marlina"]
    static let relations = ["Kepala Keluarga", "Istri", "Anak", "Anak", "Anak", "Orang Tua"]

    /// The extract of about `rows` people, header included, as CSV lines.
    public func write(rows: Int, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = Array((RegistryRowValidator.columns.joined(separator: ",") + "\n").utf8)
        try lines(rows: rows) { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// Calls `emit` with each data line (no header).
    public func lines(rows: Int, _ emit: (String) throws -> Void) throws {
        var random = SplitMix64(seed: seed)
        let kecamatan = BalanganRegions.kecamatan.keys.sorted()
        let desaByKecamatan = Dictionary(grouping: BalanganRegions.desa.keys.sorted()) { String($0.prefix(8)) }
        var written = 0
        var family = 0
        while written < rows {
            family += 1
            let kec = kecamatan[Int(random.next() % UInt64(kecamatan.count))]
            let desas = desaByKecamatan[kec] ?? []
            let desa = desas[Int(random.next() % UInt64(desas.count))]
            let region = kec.replacingOccurrences(of: ".", with: "")  // 631101
            let kk = region + String(format: "%02d%02d%02d%04d", Int(1 + random.next() % 28), Int(1 + random.next() % 12), Int(10 + random.next() % 15), Int(1 + random.next() % 9999))
            let surname = Self.familyNames[Int(random.next() % UInt64(Self.familyNames.count))]
            let decile = 1 + Int(random.next() % 10)
            let members = 1 + Int(random.next() % 6)
            for member in 0..<members where written < rows {
                written += 1
                let female = member == 1 || random.next() % 2 == 0
                let year = member == 0 || member == 1 ? 1950 + Int(random.next() % 40) : 1995 + Int(random.next() % 28)
                let month = 1 + Int(random.next() % 12)
                let day = 1 + Int(random.next() % 28)
                var nik = region + String(format: "%02d%02d%02d%04d", day + (female ? 40 : 0), month, year % 100, 1 + Int(random.next() % 9999))
                if badEvery > 0 && written % badEvery == 0 { nik = "99" + nik.dropFirst(2) }  // unknown province
                let name = Self.givenNames[Int(random.next() % UInt64(Self.givenNames.count))] + " " + surname
                let fields = [
                    "DTSEN-\(region)-\(String(format: "%08d", written))", nik, kk, name, "Paringin",
                    String(format: "%04d-%02d-%02d", year, month, day), female ? "P" : "L",
                    Self.relations[min(member, Self.relations.count - 1)], kec, desa,
                    "\"RT \(String(format: "%03d", Int(1 + random.next() % 20))), Dusun \(surname)\"", String(decile),
                    decile <= 4 ? "1" : "0", decile <= 4 && random.next() % 2 == 0 ? "1" : "0", decile <= 5 ? "1" : "0",
                ]
                try emit(fields.joined(separator: ","))
            }
        }
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the same extract.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
