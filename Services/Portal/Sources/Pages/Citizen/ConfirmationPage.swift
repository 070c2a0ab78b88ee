import LayarSchema

/// After a submission: the tracking code and its PIN, big enough to note down or screenshot. The
/// page is the same whether or not the person already had a referral (the answer never reveals
/// another one), and the PIN is shown here once: the service keeps it sealed.
enum ConfirmationPage {
    static func body(_ response: Layar_V1_SubmitReferralResponse, staff: StaffSession? = nil) -> HTML {
        let follow: HTML = staff == nil
            ? """
              <form method="post" action="/lacak">\(Field.hidden("tracking_code", response.trackingCode))\(Field.hidden("pin", response.trackingPin))
              <p><button type="submit" class="button">Lacak rujukan ini</button></p></form>
              """
            : "<p>Berikan kode dan PIN ini kepada pemohon (tulis di tanda terima).</p><p><a class=\"button\" href=\"/staf/rujukan-baru\">Catat rujukan lain</a></p>"
        return """
        <div class="tracking-card">
        <p>Kode pelacakan</p>
        <p class="tracking-code" id="kode-pelacakan">\(response.trackingCode)</p>
        <p>PIN</p>
        <p class="tracking-code" id="pin-pelacakan">\(response.trackingPin)</p>
        <p>Catat kode dan PIN ini, atau simpan tangkapan layar halaman ini: PIN hanya ditampilkan sekali.
        Untuk melacak, menambah dokumen, atau membatalkan rujukan, Anda perlu keduanya. Jangan berikan PIN kepada orang lain.</p>
        </div>
        <p>Status: <strong>\(Labels.referralStatus(response.status))</strong>. Petugas verifikasi akan memeriksa rujukan ini
        (biasanya 1 hari kerja). Kabar perkembangan dikirim lewat saluran yang Anda pilih.</p>
        \(follow)
        """
    }
}
