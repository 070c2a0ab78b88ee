import LayarSchema

/// Filing a complaint: anonymous allowed; a name and phone, when given, stay with the complaint
/// desk and are never shown back.
enum ComplaintPages {
    static func form(state: FormState, staff: StaffSession? = nil) -> HTML {
        let categories = Labels.complaintCategories.map { (value: String($0.0.rawValue), label: $0.1) }
        return """
        <p>Sampaikan keluhan, keberatan atau saran tentang layanan rujukan. Pengaduan ditindaklanjuti paling lambat 5 hari kerja
        dan dapat diteruskan ke SP4N-LAPOR!.</p>
        \(ReferralFormPage.errorSummary(state))
        <form method="post" action="/pengaduan" novalidate>
        \(staff.map(Field.csrf))
        \(Field.select("category", "Tentang apa?", state: state, options: categories, required: true))
        \(Field.textarea("description", "Apa yang terjadi?", state: state, required: true, maxLength: 4000))
        \(Field.text("tracking_code", "Kode pelacakan rujukan (jika ada)", state: state, extra: " autocapitalize=\"characters\" maxlength=\"13\""))
        <div class="field"><label class="choice" for="\(Field.id("anonymous"))"><input id="\(Field.id("anonymous"))" type="checkbox" name="anonymous" value="ya"\(state.values.isChecked("anonymous") ? " checked" : "")> Kirim tanpa nama</label></div>
        \(Field.text("name", "Nama (dirahasiakan)", state: state, extra: " autocomplete=\"name\" maxlength=\"120\""))
        \(Field.text("phone", "Nomor HP untuk tanggapan (dirahasiakan)", state: state, type: "tel", extra: " inputmode=\"tel\" autocomplete=\"tel\""))
        <p><button type="submit" class="primary">Kirim pengaduan</button></p>
        </form>
        """
    }

    static func filed(_ complaint: Layar_V1_Complaint) -> HTML {
        """
        <div class="tracking-card"><p>Nomor pengaduan</p><p class="tracking-code" id="nomor-pengaduan">\(complaint.reference)</p>
        <p>Simpan nomor ini. Pengaduan ditindaklanjuti paling lambat \(Dates.show(complaint.followUpDue)).</p></div>
        <p><a href="/">Kembali ke halaman utama</a></p>
        """
    }
}
