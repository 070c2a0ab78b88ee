// The 26 kinds of PPKS (Pemerlu Pelayanan Kesejahteraan Sosial) in the regulation's order.
// Source: Permensos 08/2012 (same list in Permensos 5/2019 and 3/2021). The codes PPKS-01..26
// and the clusters are LAYAR's own stable grouping (after the ATENSI clusters), not official.

/// One kind of PPKS.
public struct PPKSKind: Sendable, Hashable {
    public var code: String
    public var name: String
    public var cluster: String

    /// Every kind, by code.
    public static let all: [String: PPKSKind] = Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })

    public static let list: [PPKSKind] = [
        PPKSKind(code: "PPKS-01", name: "Anak Balita Terlantar", cluster: "anak"),
        PPKSKind(code: "PPKS-02", name: "Anak Terlantar", cluster: "anak"),
        PPKSKind(code: "PPKS-03", name: "Anak yang Berhadapan dengan Hukum", cluster: "anak"),
        PPKSKind(code: "PPKS-04", name: "Anak Jalanan", cluster: "anak"),
        PPKSKind(code: "PPKS-05", name: "Anak dengan Kedisabilitasan", cluster: "anak"),
        PPKSKind(code: "PPKS-06", name: "Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah", cluster: "anak"),
        PPKSKind(code: "PPKS-07", name: "Anak yang Memerlukan Perlindungan Khusus", cluster: "anak"),
        PPKSKind(code: "PPKS-08", name: "Lanjut Usia Terlantar", cluster: "lanjut_usia"),
        PPKSKind(code: "PPKS-09", name: "Penyandang Disabilitas", cluster: "disabilitas"),
        PPKSKind(code: "PPKS-10", name: "Tuna Susila", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-11", name: "Gelandangan", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-12", name: "Pengemis", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-13", name: "Pemulung", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-14", name: "Kelompok Minoritas", cluster: "lainnya"),
        PPKSKind(code: "PPKS-15", name: "Bekas Warga Binaan Lembaga Pemasyarakatan", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-16", name: "Orang dengan HIV/AIDS", cluster: "lainnya"),
        PPKSKind(code: "PPKS-17", name: "Korban Penyalahgunaan NAPZA", cluster: "napza"),
        PPKSKind(code: "PPKS-18", name: "Korban Trafficking", cluster: "tuna_sosial"),
        PPKSKind(code: "PPKS-19", name: "Korban Tindak Kekerasan", cluster: "lainnya"),
        PPKSKind(code: "PPKS-20", name: "Pekerja Migran Bermasalah Sosial", cluster: "lainnya"),
        PPKSKind(code: "PPKS-21", name: "Korban Bencana Alam", cluster: "bencana"),
        PPKSKind(code: "PPKS-22", name: "Korban Bencana Sosial", cluster: "bencana"),
        PPKSKind(code: "PPKS-23", name: "Perempuan Rawan Sosial Ekonomi", cluster: "lainnya"),
        PPKSKind(code: "PPKS-24", name: "Fakir Miskin", cluster: "lainnya"),
        PPKSKind(code: "PPKS-25", name: "Keluarga Bermasalah Sosial Psikologis", cluster: "lainnya"),
        PPKSKind(code: "PPKS-26", name: "Komunitas Adat Terpencil", cluster: "lainnya"),
    ]
}
