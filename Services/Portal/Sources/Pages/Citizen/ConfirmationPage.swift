import LayarSchema

/// After a submission: the tracking code, big enough to note down or screenshot.
enum ConfirmationPage {
    static func body(_ response: Layar_V1_SubmitReferralResponse, staff: StaffSession? = nil) -> HTML {
        let linked: HTML = response.linkedToExisting
            ? "<p class=\"notice info\">Orang ini sudah punya rujukan yang masih berjalan. Pengajuan Anda digabungkan ke rujukan itu; pakai kode di bawah.</p>"
            : .empty
        return """
        \(linked)
        <div class="tracking-card">
        <p>Kode pelacakan</p>
        <p class="tracking-code" id="kode-pelacakan">\(response.trackingCode)</p>
        <p>Catat atau simpan tangkapan layar halaman ini. Untuk melacak, Anda perlu kode ini dan tanggal lahir orang yang dirujuk.</p>
        </div>
        <p>Status: <strong>\(Labels.referralStatus(response.status))</strong>. Petugas verifikasi akan memeriksa rujukan ini
        (biasanya 1 hari kerja). Kabar perkembangan dikirim lewat saluran yang Anda pilih.</p>
        \(staff == nil ? "<p><a class=\"button\" href=\"/lacak?kode=\(response.trackingCode)\">Lacak rujukan ini</a></p>" as HTML : "<p><a class=\"button\" href=\"/staf/rujukan-baru\">Catat rujukan lain</a></p>")
        """
    }
}
