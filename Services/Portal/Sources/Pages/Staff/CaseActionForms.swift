import LayarSchema

/// The forms for a case's next step; only those its status allows are shown (the service
/// refuses the others anyway).
enum CaseActionForms {
    static func forms(_ found: Layar_V1_Case, suggestions: [Layar_V1_Institution], staff: StaffSession, state: FormState) -> HTML {
        let base = "/staf/kasus/\(found.referralID)"
        var forms: [HTML] = []
        if [.assigned, .assessed].contains(found.status) {
            let routes = [(value: "refer", label: "Rujuk ke lembaga"), (value: "serve_locally", label: "Dilayani sendiri oleh daerah")]
            let services = Labels.needs.map { (value: String($0.0.rawValue), label: $0.1) }
            forms.append(panel("Asesmen", action: "\(base)/asesmen", staff: staff, button: "Simpan asesmen", fields: """
                \(Field.textarea("needs", "Kebutuhan hasil asesmen", state: state, required: true))
                \(Field.textarea("plan", "Rencana intervensi", state: state, required: true))
                \(Field.choices("route", "Tindak lanjut", state: state, options: routes, multiple: false, required: true))
                \(Field.select("service", "Layanan utama", state: state, options: services))
                """))
        }
        if found.status == .assessed && found.route == .refer {
            let choices = suggestions.map { institution in
                (value: institution.code, label: "\(institution.name) (\(institution.capacityAvailable)/\(institution.capacityTotal) tempat)\(institution.requiresIdentification ? " · perlu identitas" : "")")
            }
            forms.append(panel("Kirim rujukan ke lembaga", action: "\(base)/tawaran", staff: staff, button: "Kirim tawaran", fields: """
                \(choices.isEmpty ? "<p>Tidak ada lembaga yang cocok; ubah layanan utama di asesmen.</p>" as HTML : Field.choices("institution", "Lembaga yang cocok", state: state, options: choices, multiple: false, required: true))
                \(Field.text("letter_number", "Nomor surat rujukan", state: state, required: true, extra: " maxlength=\"100\""))
                \(Field.textarea("summary", "Ringkasan untuk lembaga", state: state, hint: "Yang perlu diketahui lembaga; tanpa catatan asesmen.", required: true, maxLength: 1000))
                \(Field.text("person_name", "Nama orang yang dirujuk (hanya untuk lembaga yang perlu identitas)", state: state, extra: " maxlength=\"120\""))
                """))
        }
        if found.status == .offered {
            forms.append(panel("Tarik tawaran", action: "\(base)/tarik", staff: staff, button: "Tarik tawaran", fields: """
                \(Field.textarea("reason", "Alasan", state: state, required: true, maxLength: 500))
                """))
        }
        if [.accepted, .admitted, .assessed].contains(found.status) {
            let steps = [(value: String(Layar_V1_ProgressStep.admitted.rawValue), label: "Sudah masuk lembaga"),
                         (value: String(Layar_V1_ProgressStep.inService.rawValue), label: "Layanan dimulai")]
            forms.append(panel("Catat kemajuan", action: "\(base)/kemajuan", staff: staff, button: "Catat", fields: """
                \(Field.choices("step", "Langkah", state: state, options: steps, multiple: false, required: true))
                \(Field.textarea("note", "Catatan", state: state, maxLength: 500))
                """))
        }
        if [.admitted, .inService].contains(found.status) {
            let outcomes = Labels.serviceOutcomes.map { (value: String($0.0.rawValue), label: $0.1) }
            forms.append(panel("Catat hasil layanan", action: "\(base)/hasil", staff: staff, button: "Catat hasil", fields: """
                \(Field.select("outcome", "Hasil", state: state, options: outcomes, required: true))
                \(Field.textarea("note", "Catatan (tanpa keterangan kesehatan)", state: state, maxLength: 500))
                """))
        }
        if found.status == .outcomeRecorded {
            forms.append(panel("Selesaikan kasus", action: "\(base)/selesai", staff: staff, button: "Selesaikan", fields: """
                \(Field.textarea("outcome_summary", "Ringkasan hasil untuk pemohon", state: state, required: true, maxLength: 500))
                """))
        }
        if ![.closed, .withdrawn].contains(found.status) {
            forms.append("""
                <details class="panel"><summary>Tutup kasus</summary>
                <form method="post" action="\(base)/tutup">\(Field.csrf(staff))
                \(Field.textarea("close_reason", "Alasan penutupan", state: state, maxLength: 500))
                <p><button type="submit" class="danger">Tutup kasus</button></p></form></details>
                """)
        }
        return forms.joined()
    }

    private static func panel(_ title: String, action: String, staff: StaffSession, button: String, fields: HTML) -> HTML {
        """
        <section class="panel"><h2>\(title)</h2>
        <form method="post" action="\(action)" novalidate>\(Field.csrf(staff))
        \(fields)
        <p><button type="submit" class="primary">\(button)</button></p></form></section>
        """
    }
}
