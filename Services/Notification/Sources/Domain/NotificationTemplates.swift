import Mustache

/// The message texts, as Mustache templates in Bahasa Indonesia, one per event kind, audience and
/// format. `short` fits one SMS (160 characters) with the tracking code and the next step;
/// `long` is for e-mail and staff inboxes. Values are inserted unescaped (`{{{...}}}`): these are
/// plain texts, not HTML. No health details: a message may be read by others. An applicant's
/// message planned before their contact (and tracking code) arrived has `code` "Anda", so the
/// code always follows "rujukan": "rujukan LYR-…" and "rujukan Anda" both read right.
public enum NotificationTemplates {
    public enum Kind: String, Sendable, CaseIterable {
        case submitted, informationRequested, verified, rejected, assigned, completed, withdrawn, surveyInvited
        /// Staff: a case for the case worker; an emergency for supervisors and verifiers; a referral
        /// waiting in the verifiers' queue; a rejection waiting for a supervisor's confirmation.
        case caseForWorker, emergencyForStaff, queuedForVerifier, rejectionForSupervisor
        /// Applicant: the person was admitted by the institution they were referred to; the
        /// documents they added were received; the person is to be proposed for the social registry.
        case admitted, documentsAdded, registryProposal
        /// Applicant: someone else submitted a referral for the same person (linked to this one).
        case duplicateSubmitted
        /// Verifiers: a village operator should propose the person for the social registry (DTSEN).
        case registryProposalForVerifier
        /// A person without a NIK: the applicant hears that Dukcapil is asked to identify them;
        /// verifiers, to ask Dukcapil for identification and recording, then for registration.
        case identificationProposal, identificationProposalForVerifier
        /// Case worker: an institution accepted, declined or let an offer expire.
        case offerAnsweredForWorker
        /// Supervisor: a case deadline passed (escalation).
        case deadlineForSupervisor
        /// Partner agency: a new offer, or an offer withdrawn (revoked or expired). Partners do not
        /// know tracking codes: their texts name the referral letter number.
        case offerForPartner, offerWithdrawnForPartner
        /// Applicant, answering their own SMS or WhatsApp text: the status (`CEK`), a code or PIN
        /// that did not match, how to ask, the opt-out confirmed, a reply passed to the verifier,
        /// too many requests.
        case replyStatus, replyStatusUnknown, replyHowTo, replyOptedOut, replyForwarded, replyTooMany

        /// Answers that name no referral: the sender's code did not match, or they asked nothing
        /// about one (they go to whoever wrote, so they say nothing about any referral).
        public var namesNoReferral: Bool {
            [.replyStatusUnknown, .replyHowTo, .replyOptedOut, .replyTooMany].contains(self)
        }

        /// Kinds addressed to partner agencies.
        public var isForPartner: Bool { self == .offerForPartner || self == .offerWithdrawnForPartner }
    }

    public enum Format: String, Sendable, CaseIterable {
        case short, long
    }

    static let sources: [String: String] = [
        "submitted.short": "Dinsos Balangan: rujukan {{{code}}} diterima. Simpan kode ini untuk memantau status. Kami akan memverifikasi data.",
        "submitted.long": "Rujukan dengan kode {{{code}}} sudah kami terima. Simpan kode ini: dengan kode ini dan PIN yang ditampilkan saat pengajuan, Anda dapat memantau statusnya kapan saja. Petugas Dinas Sosial Kabupaten Balangan akan memeriksa data dan dokumennya.",
        "informationRequested.short": "Dinsos Balangan: rujukan {{{code}}} perlu {{{documents}}}. Tambahkan lewat menu Lacak Rujukan dengan kode ini.",
        "informationRequested.long": "Untuk melanjutkan rujukan {{{code}}}, petugas memerlukan {{{documents}}}. Tambahkan dokumen melalui menu Lacak Rujukan dengan kode ini dan PIN Anda.",
        "verified.short": "Dinsos Balangan: rujukan {{{code}}} lolos verifikasi. Pendamping akan segera ditetapkan.",
        "verified.long": "Data rujukan {{{code}}} sudah diperiksa dan lengkap. Dinas Sosial sedang menetapkan pendamping (pekerja sosial atau TKSK) yang akan menghubungi Anda.",
        "rejected.short": "Dinsos Balangan: rujukan {{{code}}} belum dapat diproses. Cek alasannya dengan kode pelacakan atau hubungi kantor.",
        "rejected.long": "Rujukan {{{code}}} belum dapat diproses. Alasannya dapat dilihat di menu Lacak Rujukan. Anda dapat menghubungi Dinas Sosial Kabupaten Balangan atau mengajukan pengaduan bila tidak setuju.",
        "assigned.short": "Dinsos Balangan: rujukan {{{code}}} kini didampingi {{{worker}}}, yang akan menghubungi Anda.",
        "assigned.long": "Rujukan {{{code}}} kini didampingi {{{worker}}}. Pendamping akan menghubungi Anda untuk asesmen dan langkah berikutnya.",
        "completed.short": "Dinsos Balangan: layanan rujukan {{{code}}} selesai. Terima kasih.",
        "completed.long": "Layanan untuk rujukan {{{code}}} sudah selesai. Terima kasih atas kepercayaan Anda kepada Dinas Sosial Kabupaten Balangan.",
        "withdrawn.short": "Dinsos Balangan: rujukan {{{code}}} dibatalkan dengan kode dan PIN-nya. Bukan Anda yang membatalkan? Segera hubungi kantor.",
        "withdrawn.long": "Rujukan {{{code}}} telah dibatalkan dengan kode pelacakan dan PIN-nya. Bila bukan Anda yang membatalkan, segera hubungi Dinas Sosial Kabupaten Balangan. Anda dapat mengajukan rujukan baru kapan saja.",
        "duplicateSubmitted.short": "Dinsos Balangan: ada pengajuan lain untuk orang dalam rujukan {{{code}}}. Petugas memeriksanya. Tidak mengenalinya? Hubungi kantor.",
        "duplicateSubmitted.long": "Ada pengajuan rujukan lain untuk orang yang sama dengan rujukan {{{code}}}. Pengajuan itu tidak mengubah rujukan Anda dan tidak dapat melihat datanya; petugas Dinas Sosial Kabupaten Balangan akan memeriksanya. Bila Anda tidak mengenali pengajuan ini, hubungi kantor Dinas Sosial.",
        "surveyInvited.short": "Dinsos Balangan: mohon isi survei kepuasan layanan rujukan {{{code}}} dengan kode {{{surveyCode}}}.",
        "surveyInvited.long": "Mohon bantu kami memperbaiki layanan: isi survei kepuasan masyarakat untuk rujukan {{{code}}} dengan kode {{{surveyCode}}} (berlaku 30 hari, sekali pakai).{{#surveyLink}} Isi di {{{surveyLink}}}{{/surveyLink}}",
        "caseForWorker.short": "LAYAR: kasus baru {{{code}}} ({{{ppks}}}, {{{kecamatan}}}), prioritas {{{priority}}}.",
        "caseForWorker.long": "Kasus baru untuk Anda: rujukan {{{code}}}, {{{ppks}}}, Kecamatan {{{kecamatan}}}, prioritas {{{priority}}}. Lakukan asesmen sesuai tenggat.",
        "emergencyForStaff.short": "LAYAR: rujukan DARURAT {{{code}}} ({{{ppks}}}, {{{kecamatan}}}) menunggu penanganan.",
        "queuedForVerifier.short": "LAYAR: rujukan {{{code}}} ({{{ppks}}}, {{{kecamatan}}}) menunggu verifikasi: {{{checks}}}.",
        "queuedForVerifier.long": "Rujukan {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}) masuk antrean verifikasi karena pemeriksaan berikut perlu dilihat: {{{checks}}}.",
        "rejectionForSupervisor.short": "LAYAR: usulan penolakan rujukan {{{code}}} menunggu konfirmasi Anda.",
        "rejectionForSupervisor.long": "Verifikator mengusulkan penolakan rujukan {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}). Penolakan berlaku setelah Anda mengonfirmasinya.",
        "emergencyForStaff.long": "Rujukan darurat {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}) baru masuk dan perlu segera ditangani.",
        "documentsAdded.short": "Dinsos Balangan: dokumen untuk rujukan {{{code}}} sudah diterima dan akan diperiksa kembali.",
        "documentsAdded.long": "Dokumen tambahan untuk rujukan {{{code}}} sudah kami terima. Petugas akan memeriksa kembali rujukan ini; statusnya dapat dipantau dengan kode tersebut.",
        "registryProposal.short": "Dinsos Balangan: orang dalam rujukan {{{code}}} belum ada di DTSEN. Operator desa akan mengusulkannya; rujukan tetap diproses.",
        "registryProposal.long": "Orang dalam rujukan {{{code}}} belum terdaftar dalam Data Tunggal Sosial dan Ekonomi Nasional (DTSEN). Operator desa akan mengusulkan pendaftarannya agar dapat menerima bantuan sosial lain; rujukan ini tetap diproses.",
        "registryProposalForVerifier.short": "LAYAR: rujukan {{{code}}} belum ada di DTSEN; usulkan lewat operator Desa {{{desa}}} ({{{kecamatan}}}).",
        "registryProposalForVerifier.long": "Orang yang dirujuk ({{{code}}}, {{{ppks}}}) belum terdaftar di DTSEN. Mohon teruskan ke operator Desa {{{desa}}}, Kecamatan {{{kecamatan}}}, untuk usulan pendaftaran.",
        "identificationProposal.short": "Dinsos Balangan: orang dalam rujukan {{{code}}} belum punya NIK. Kami usulkan perekaman ke Dukcapil; rujukan tetap diproses.",
        "identificationProposal.long": "Orang dalam rujukan {{{code}}} belum memiliki NIK atau dokumen kependudukan. Dinas Sosial akan mengusulkan identifikasi dan perekaman datanya ke Dukcapil, lalu pendaftarannya di DTSEN; rujukan ini tetap diproses.",
        "identificationProposalForVerifier.short": "LAYAR: rujukan {{{code}}} tanpa NIK; usulkan identifikasi ke Dukcapil, lalu DTSEN (Desa {{{desa}}}, {{{kecamatan}}}).",
        "identificationProposalForVerifier.long": "Orang yang dirujuk ({{{code}}}, {{{ppks}}}) tidak memiliki NIK atau dokumen kependudukan. Mohon usulkan identifikasi dan perekaman ke Dukcapil, lalu pendaftaran DTSEN melalui operator Desa {{{desa}}}, Kecamatan {{{kecamatan}}}.",
        "admitted.short": "Dinsos Balangan: orang dalam rujukan {{{code}}} sudah diterima di lembaga rujukan. Pendamping tetap memantau.",
        "admitted.long": "Orang dalam rujukan {{{code}}} sudah diterima masuk di lembaga rujukan. Pendamping dari Dinas Sosial tetap memantau sampai layanan selesai.",
        "offerAnsweredForWorker.short": "LAYAR: {{{institution}}} {{{answer}}} rujukan {{{code}}}. {{{next}}}",
        "offerAnsweredForWorker.long": "Rujukan {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}, surat {{{letter}}}): {{{institution}}} {{{answer}}}. {{{next}}}",
        "deadlineForSupervisor.short": "LAYAR: tenggat {{{deadline}}} kasus {{{code}}} ({{{kecamatan}}}) terlewati. Mohon ditindaklanjuti.",
        "deadlineForSupervisor.long": "Tenggat {{{deadline}}} untuk kasus {{{code}}} ({{{ppks}}}, Kecamatan {{{kecamatan}}}, prioritas {{{priority}}}) sudah terlewati. Mohon tetapkan atau alihkan pendamping, atau hubungi lembaga terkait.",
        "offerForPartner.short": "LAYAR Dinsos Balangan: rujukan baru surat {{{letter}}} ({{{ppks}}}). Mohon jawab sebelum batas waktu.",
        "offerForPartner.long": "Dinas Sosial Kabupaten Balangan mengirim rujukan baru dengan surat {{{letter}}} ({{{ppks}}}, dari Kecamatan {{{kecamatan}}}). Rinciannya ada di topik rujukan lembaga Anda; mohon terima atau tolak sebelum batas waktu.",
        "offerWithdrawnForPartner.short": "LAYAR Dinsos Balangan: rujukan surat {{{letter}}} {{{why}}}. Tidak perlu ditindaklanjuti.",
        "offerWithdrawnForPartner.long": "Rujukan dengan surat {{{letter}}} {{{why}}}. Mohon hapus data orang yang dirujuk yang sudah Anda terima; rujukan ini tidak perlu ditindaklanjuti.",
        "replyStatus.short": "Dinsos Balangan: rujukan {{{code}}}: {{{status}}}",
        "replyStatus.long": "Status rujukan {{{code}}}: {{{status}}}",
        "replyStatusUnknown.short": "Dinsos Balangan: kode atau PIN tidak cocok. Periksa lalu kirim lagi, contoh: CEK LYR-7K3M-Q9TX 123456",
        "replyStatusUnknown.long": "Kode pelacakan atau PIN tidak cocok. Periksa keduanya lalu kirim lagi, contoh: CEK LYR-7K3M-Q9TX 123456",
        "replyHowTo.short": "Dinsos Balangan: kirim CEK <kode> <PIN> untuk melihat status rujukan, atau BERHENTI untuk berhenti menerima pesan.",
        "replyHowTo.long": "Untuk melihat status rujukan, kirim CEK <kode> <PIN>. Untuk berhenti menerima pesan, kirim BERHENTI.",
        "replyOptedOut.short": "Dinsos Balangan: Anda tidak akan menerima pesan lagi, kecuali pemberitahuan wajib. Status tetap bisa dicek: CEK <kode> <PIN>.",
        "replyOptedOut.long": "Anda tidak akan menerima pesan dari LAYAR lagi, kecuali pemberitahuan yang wajib menurut aturan. Status rujukan tetap dapat dicek dengan CEK <kode> <PIN>.",
        "replyForwarded.short": "Dinsos Balangan: balasan Anda untuk rujukan {{{code}}} sudah diteruskan ke petugas verifikasi.",
        "replyForwarded.long": "Balasan Anda untuk rujukan {{{code}}} sudah diteruskan ke petugas verifikasi Dinas Sosial Kabupaten Balangan.",
        "replyTooMany.short": "Dinsos Balangan: terlalu banyak permintaan dari nomor ini. Coba lagi dalam 10 menit.",
        "replyTooMany.long": "Terlalu banyak permintaan dari nomor ini. Coba lagi dalam 10 menit.",
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
