import LayarDomain
import LayarRuntime
import LayarSchema

/// Bahasa Indonesia names of the wire's codes, as the pages show them.
enum Labels {
    static func referralStatus(_ status: Layar_V1_ReferralStatus) -> String {
        switch status {
        case .submitted: "Diterima, menunggu verifikasi"
        case .verified: "Terverifikasi, menunggu pendamping"
        case .rejected: "Ditolak"
        case .assigned: "Sedang ditangani pendamping"
        case .completed: "Selesai"
        case .needsDocuments: "Perlu dokumen tambahan"
        case .withdrawn: "Dibatalkan"
        default: "Tidak diketahui"
        }
    }

    static func caseStatus(_ status: Layar_V1_CaseStatus) -> String {
        switch status {
        case .unassigned: "Menunggu pendamping"
        case .assigned: "Ada pendamping, asesmen belum"
        case .assessed: "Sudah diasesmen"
        case .offered: "Menunggu jawaban lembaga"
        case .accepted: "Diterima lembaga"
        case .admitted: "Sudah masuk lembaga"
        case .inService: "Sedang dilayani"
        case .outcomeRecorded: "Hasil layanan tercatat"
        case .completed: "Selesai"
        case .withdrawn: "Dibatalkan pemohon"
        case .closed: "Ditutup"
        default: "Tidak diketahui"
        }
    }

    /// How an applicant's message reached the office.
    static func deliveryChannel(_ channel: Layar_V1_DeliveryChannel) -> String {
        switch channel {
        case .sms: "SMS"
        case .whatsapp: "WhatsApp"
        case .email: "Surel"
        default: "Lainnya"
        }
    }

    static func verificationState(_ state: Layar_V1_VerificationOutcome) -> String {
        switch state {
        case .verified: "Terverifikasi"
        case .rejected: "Ditolak"
        case .informationRequested: "Menunggu dokumen pemohon"
        case .queued: "Menunggu verifikator"
        case .rejectionProposed: "Usulan penolakan, menunggu supervisor"
        default: "Belum diperiksa"
        }
    }

    static let sexes: [(Layar_V1_Sex, String)] = [(.male, "Laki-laki"), (.female, "Perempuan")]

    static let relationships: [(Layar_V1_ApplicantRelationship, String)] = [
        (.self_, "Diri sendiri"), (.family, "Keluarga"), (.neighbour, "Tetangga"),
        (.villageOfficial, "Aparat desa/kelurahan"), (.socialWorker, "TKSK / pekerja sosial"),
        (.healthWorker, "Tenaga kesehatan"), (.police, "Kepolisian"), (.other, "Lainnya"),
    ]

    static let urgencies: [(Layar_V1_Urgency, String)] = [
        (.normal, "Biasa"), (.urgent, "Mendesak"), (.emergency, "Darurat (mis. dipasung, anak dalam bahaya)"),
    ]

    static let contactChannels: [(Layar_V1_ContactChannel, String)] = [
        (.whatsapp, "WhatsApp"), (.sms, "SMS"), (.email, "E-mail"), (.none, "Tidak perlu dihubungi (saya pantau dengan kode)"),
    ]

    static let needs: [(Layar_V1_Need, String)] = [
        (.residentialRehabilitation, "Rehabilitasi dalam panti"), (.communityRehabilitation, "Rehabilitasi di masyarakat"),
        (.psychiatricCare, "Perawatan kejiwaan"), (.assistiveDevice, "Alat bantu (kursi roda, alat bantu dengar...)"),
        (.familySupport, "Dukungan keluarga"), (.legalProtection, "Perlindungan hukum"),
        (.basicNeeds, "Kebutuhan dasar (makan, pakaian, tempat tinggal)"), (.addictionRehabilitation, "Rehabilitasi NAPZA"),
    ]

    static let consentGivers: [(Layar_V1_ConsentGiver, String)] = [
        (.self_, "Orang yang dirujuk sendiri"), (.parent, "Orang tua (untuk anak)"), (.guardian, "Wali"),
        (.family, "Anggota keluarga lain (orangnya tidak dapat memberi persetujuan)"),
    ]

    static let documentKinds: [(Layar_V1_DocumentKind, String)] = [
        (.ktp, "KTP"), (.kk, "Kartu Keluarga (KK)"), (.villageStatement, "Surat keterangan desa/kelurahan"),
        (.medicalLetter, "Surat keterangan dokter"), (.photo, "Foto orang atau keadaannya"),
    ]

    static func documentKind(_ kind: Layar_V1_DocumentKind) -> String {
        documentKinds.first { $0.0 == kind }?.1 ?? "Dokumen"
    }

    static func need(_ need: Layar_V1_Need) -> String { needs.first { $0.0 == need }?.1 ?? "-" }

    static func ppks(_ code: String) -> String {
        PPKSKind.all[code].map { "\($0.code) \($0.name)" } ?? code
    }

    /// A staff role as the console names it.
    static func role(_ role: StaffRole) -> String {
        switch role {
        case .admin: "administrator"
        case .supervisor: "supervisor"
        case .verifier: "verifikator"
        case .caseWorker: "pendamping"
        case .operator: "operator kantor"
        case .complaintDesk: "petugas pengaduan"
        case .monitoring: "petugas monev"
        }
    }

    static func kecamatan(_ code: String) -> String { BalanganRegions.kecamatan[code] ?? code }

    static let rejectionReasons: [(Layar_V1_RejectionReason, String)] = [
        (.identityMismatch, "Identitas tidak dapat dipastikan"), (.outsideRegency, "Bukan warga Kabupaten Balangan"),
        (.notEligible, "Bukan PPKS yang dilayani"), (.duplicate, "Sudah ditangani pada rujukan lain"),
        (.falseReport, "Laporan tidak benar"), (.other, "Lainnya (lihat catatan)"),
    ]

    static let serviceOutcomes: [(Layar_V1_ServiceOutcome, String)] = [
        (.gotHelp, "Mendapat layanan"), (.couldNotGetHelp, "Layanan tidak dapat diberikan"),
        (.referredElsewhere, "Dirujuk ke tempat lain"), (.noLongerInterested, "Tidak lagi berminat"),
        (.unreachable, "Tidak dapat dihubungi"), (.deceased, "Meninggal dunia"),
    ]

    static func offerStatus(_ status: Layar_V1_OfferStatus) -> String {
        switch status {
        case .pending: "Menunggu jawaban"
        case .accepted: "Diterima"
        case .declined: "Ditolak"
        case .expired: "Kedaluwarsa"
        case .revoked: "Ditarik"
        case .admitted: "Sudah masuk"
        case .outcomeRecorded: "Hasil tercatat"
        default: "-"
        }
    }

    static func declineReason(_ reason: Layar_V1_DeclineReason) -> String {
        switch reason {
        case .noCapacity: "Tidak ada tempat"
        case .notEligible: "Tidak memenuhi kriteria"
        case .cannotContact: "Tidak dapat dihubungi"
        case .other: "Lainnya"
        default: ""
        }
    }

    static func transition(_ type: Layar_V1_TransitionType) -> String {
        switch type {
        case .opened: "Kasus dibuka"
        case .assigned: "Pendamping ditetapkan"
        case .reassigned: "Dialihkan ke pendamping lain"
        case .assessed: "Asesmen dicatat"
        case .offered: "Rujukan dikirim ke lembaga"
        case .accepted: "Lembaga menerima"
        case .declined: "Lembaga menolak"
        case .expired: "Tawaran kedaluwarsa"
        case .revoked: "Tawaran ditarik"
        case .admitted: "Masuk lembaga"
        case .inService: "Layanan dimulai"
        case .outcomeRecorded: "Hasil layanan dicatat"
        case .completed: "Selesai"
        case .closed: "Ditutup"
        case .deadlineMissed: "Tenggat terlewat"
        case .withdrawn: "Dibatalkan pemohon"
        default: "-"
        }
    }

    static let complaintCategories: [(Layar_V1_ComplaintCategory, String)] = [
        (.serviceDelay, "Layanan lambat"), (.staffConduct, "Perilaku petugas"), (.eligibility, "Keberatan atas keputusan"),
        (.institution, "Layanan lembaga rujukan"), (.charges, "Pungutan biaya (layanan ini gratis)"),
        (.dataProtection, "Data pribadi"), (.other, "Lainnya"),
    ]

    static func complaintCategory(_ category: Layar_V1_ComplaintCategory) -> String {
        complaintCategories.first { $0.0 == category }?.1 ?? "-"
    }

    static func complaintStatus(_ status: Layar_V1_ComplaintStatus) -> String {
        switch status {
        case .received: "Diterima"
        case .assigned: "Ditangani"
        case .responded: "Sudah ditanggapi"
        case .resolved: "Selesai"
        case .closed: "Ditutup"
        default: "-"
        }
    }

    static let complaintActions: [(Layar_V1_ComplaintAction, String)] = [
        (.assign, "Tugaskan ke petugas"), (.respond, "Kirim tanggapan"), (.resolve, "Nyatakan selesai"),
        (.close, "Tutup"), (.reopen, "Buka kembali"), (.forwardToLapor, "Teruskan ke SP4N-LAPOR!"),
    ]

    /// `<option>` rows for a select: value, label, and whether it is the chosen one.
    static func options<Code: SwiftProtobuf.Enum>(_ list: [(Code, String)], selected: String) -> [[String: Any]] {
        list.map { code, label in
            ["value": String(code.rawValue), "label": label, "selected": String(code.rawValue) == selected]
        }
    }
}

import SwiftProtobuf
