import LayarSchema

/// What each status means for the applicant, in plain Bahasa Indonesia, with the next step.
public enum StatusExplanation {
    public static func text(
        for status: Layar_V1_ReferralStatus, missingDocuments: [Layar_V1_DocumentKind] = [], reasons: [String] = []
    ) -> String {
        switch status {
        case .submitted:
            return "Rujukan diterima dan sedang diperiksa petugas Dinas Sosial."
        case .needsDocuments:
            let names = missingDocuments.map(\.displayName).joined(separator: " atau ")
            return "Petugas memerlukan dokumen tambahan\(names.isEmpty ? "" : ": \(names)"). Tambahkan dokumen dengan kode pelacakan Anda."
        case .verified:
            return "Data sudah diperiksa dan lengkap. Dinas Sosial sedang menetapkan pendamping."
        case .rejected:
            let because = reasons.isEmpty ? "" : " Alasan: \(reasons.joined(separator: "; "))."
            return "Rujukan belum dapat diproses.\(because) Hubungi Dinas Sosial Balangan bila ada pertanyaan."
        case .assigned:
            return "Pendamping (pekerja sosial atau TKSK) sudah ditetapkan dan akan menghubungi Anda."
        case .completed:
            return "Layanan sudah selesai. Mohon isi survei kepuasan bila diminta."
        case .withdrawn:
            return "Rujukan dibatalkan atas permintaan pengaju."
        default:
            return ""
        }
    }
}
