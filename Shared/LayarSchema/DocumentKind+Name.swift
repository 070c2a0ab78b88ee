/// Names of document kinds as applicants know them (Bahasa Indonesia), for messages and pages.
extension Layar_V1_DocumentKind {
    public var displayName: String {
        switch self {
        case .ktp: "KTP"
        case .kk: "Kartu Keluarga"
        case .villageStatement: "surat keterangan desa/kelurahan"
        case .medicalLetter: "surat keterangan dokter"
        case .photo: "foto"
        default: "dokumen"
        }
    }
}
