import LayarSchema

/// What the applicant is told for each event, in Bahasa Indonesia, short enough for one SMS
/// (160 characters) with the tracking code and the next step. No health details: an SMS may be
/// read by others.
public enum ApplicantMessages {
    /// The text for an event, or nil when the applicant is not told about it.
    public static func text(for event: ApplicantEvent, trackingCode: String?) -> String? {
        let code = trackingCode.map { "rujukan \($0)" } ?? "rujukan Anda"
        switch event {
        case .submitted:
            return "Dinsos Balangan: \(code) diterima. Simpan kode ini untuk memantau status. Kami akan memverifikasi data."
        case .informationRequested(let documents):
            let names = documents.isEmpty ? "dokumen tambahan" : documents.joined(separator: " atau ")
            return "Dinsos Balangan: \(code) perlu \(names). Tambahkan lewat menu Lacak Rujukan dengan kode ini."
        case .verified:
            return "Dinsos Balangan: \(code) lolos verifikasi. Pendamping akan segera ditetapkan."
        case .rejected:
            return "Dinsos Balangan: \(code) belum dapat diproses. Cek alasannya dengan kode pelacakan atau hubungi kantor."
        case .assigned(let worker):
            return "Dinsos Balangan: \(code) kini didampingi \(worker), yang akan menghubungi Anda."
        case .completed:
            return "Dinsos Balangan: layanan \(code) selesai. Terima kasih."
        case .withdrawn:
            return "Dinsos Balangan: \(code) telah dibatalkan sesuai permintaan Anda."
        case .surveyInvited(let surveyCode):
            return "Dinsos Balangan: mohon isi survei kepuasan layanan \(code) dengan kode \(surveyCode)."
        }
    }

    /// The events an applicant hears about.
    public enum ApplicantEvent: Sendable, Equatable {
        case submitted
        case informationRequested(documents: [String])
        case verified
        case rejected
        case withdrawn
        case assigned(caseWorkerName: String)
        case completed
        case surveyInvited(code: String)
    }
}
