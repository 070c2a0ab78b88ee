import Mustache

/// The message texts, as Mustache templates in Bahasa Indonesia, one per event kind, audience and
/// format. `short` fits one SMS (160 characters) with the tracking code and the next step;
/// `long` is for e-mail and staff inboxes. Values are inserted unescaped (`{{{...}}}`): these are
/// plain texts, not HTML. No health details: a message may be read by others.
public enum NotificationTemplates {
    public enum Kind: String, Sendable, CaseIterable {
        case submitted, informationRequested, verified, rejected, assigned, completed, withdrawn, surveyInvited
        /// Staff: a case for the case worker; an emergency for supervisors and verifiers; a referral
        /// waiting in the verifiers' queue; a rejection waiting for a supervisor's confirmation.
        case caseForWorker, emergencyForStaff, queuedForVerifier, rejectionForSupervisor
    }

    public enum Format: String, Sendable, CaseIterable {
        case short, long
    }

    static let sources: [String: String] = [
        "submitted.short": "Dinsos Balangan: rujukan {{{code}}} diterima. Simpan kode ini untuk memantau status. Kami akan memverifikasi data.",
        "submitted.long": "Rujukan dengan kode {{{code}}} sudah kami terima. Simpan kode ini: dengan kode dan tanggal lahir orang yang dirujuk, Anda dapat memantau statusnya kapan saja. Petugas Dinas Sosial Kabupaten Balangan akan memeriksa data dan dokumennya.",
        "informationRequested.short": "Dinsos Balangan: rujukan {{{code}}} perlu {{{documents}}}. Tambahkan lewat menu Lacak Rujukan dengan kode ini.",
        "informationRequested.long": "Untuk melanjutkan rujukan {{{code}}}, petugas memerlukan {{{documents}}}. Tambahkan dokumen melalui menu Lacak Rujukan dengan kode ini dan tanggal lahir orang yang dirujuk.",
        "verified.short": "Dinsos Balangan: rujukan {{{code}}} lolos verifikasi. Pendamping akan segera ditetapkan.",
        "verified.long": "Data rujukan {{{code}}} sudah diperiksa dan lengkap. Dinas Sosial sedang menetapkan pendamping (pekerja sosial atau TKSK) yang akan menghubungi Anda.",
        "rejected.short": "Dinsos Balangan: rujukan {{{code}}} belum dapat diproses. Cek alasannya dengan kode pelacakan atau hubungi kantor.",
        "rejected.long": "Rujukan {{{code}}} belum dapat diproses. Alasannya dapat dilihat di menu Lacak Rujukan. Anda dapat menghubungi Dinas Sosial Kabupaten Balangan atau mengajukan pengaduan bila tidak setuju.",
        "assigned.short": "Dinsos Balangan: rujukan {{{code}}} kini didampingi {{{worker}}}, yang akan menghubungi Anda.",
        "assigned.long": "Rujukan {{{code}}} kini didampingi {{{worker}}}. Pendamping akan menghubungi Anda untuk asesmen dan langkah berikutnya.",
        "completed.short": "Dinsos Balangan: layanan rujukan {{{code}}} selesai. Terima kasih.",
        "completed.long": "Layanan untuk rujukan {{{code}}} sudah selesai. Terima kasih atas kepercayaan Anda kepada Dinas Sosial Kabupaten Balangan.",
        "withdrawn.short": "Dinsos Balangan: rujukan {{{code}}} telah dibatalkan sesuai permintaan Anda.",
        "withdrawn.long": "Rujukan {{{code}}} telah dibatalkan sesuai permintaan Anda. Anda dapat mengajukan rujukan baru kapan saja.",
        "surveyInvited.short": "Dinsos Balangan: mohon isi survei kepuasan layanan rujukan {{{code}}} dengan kode {{{surveyCode}}}.",
        "surveyInvited.long": "Mohon bantu kami memperbaiki layanan: isi survei kepuasan masyarakat untuk rujukan {{{code}}} dengan kode {{{surveyCode}}} (berlaku 30 hari, sekali pakai).",
        "caseForWorker.short": "LAYAR: kasus baru {{{code}}} ({{{ppks}}}, {{{kecamatan}}}), prioritas {{{priority}}}.",
        "caseForWorker.long": "Kasus baru untuk Anda: rujukan {{{code}}}, {{{ppks}}}, Kecamatan {{{kecamatan}}}, prioritas {{{priority}}}. Lakukan asesmen sesuai tenggat.",
        "emergencyForStaff.short": "LAYAR: rujukan DARURAT {{{code}}} ({{{ppks}}}, {{{kecamatan}}}) menunggu penanganan.",
        "queuedForVerifier.short": "LAYAR: rujukan {{{code}}} ({{{ppks}}}, {{{kecamatan}}}) menunggu verifikasi: {{{checks}}}.",
        "queuedForVerifier.long": "Rujukan {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}) masuk antrean verifikasi karena pemeriksaan berikut perlu dilihat: {{{checks}}}.",
        "rejectionForSupervisor.short": "LAYAR: usulan penolakan rujukan {{{code}}} menunggu konfirmasi Anda.",
        "rejectionForSupervisor.long": "Verifikator mengusulkan penolakan rujukan {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}). Penolakan berlaku setelah Anda mengonfirmasinya.",
        "emergencyForStaff.long": "Rujukan darurat {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}) baru masuk dan perlu segera ditangani.",
    ]

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, source) in sources {
            // The sources are constants above; a broken one is a programming error caught by tests.
            try! library.register(source, named: name)
        }
        return library
    }()

    /// The text for `kind` in `format`, with `values` such as `code`, `worker`, `documents`.
    public static func render(_ kind: Kind, _ format: Format, _ values: [String: String]) -> String {
        library.render(values, withTemplate: "\(kind.rawValue).\(format.rawValue)") ?? ""
    }
}
