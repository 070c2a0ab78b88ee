import LayarSchema

/// The complaint desk's pages. The complainant's name and phone never reach the portal: the
/// survey service keeps them apart and answers only whether a contact was left.
enum ComplaintDeskPages {
    static func list(_ complaints: [Layar_V1_Complaint], overdueOnly: Bool) -> HTML {
        let rows = complaints.map { complaint -> HTML in
            let late = complaint.forwardingOverdue || complaint.followUpOverdue
            return """
            <tr class="\(late ? "fail" : "")"><td><a href="/staf/pengaduan/\(complaint.complaintID)">\(complaint.reference)</a></td>
            <td>\(Labels.complaintCategory(complaint.category))</td><td>\(Labels.complaintStatus(complaint.status))</td>
            <td>\(Dates.show(complaint.filedAt))</td><td>\(Dates.show(complaint.followUpDue))</td><td>\(late ? "Terlambat" : "")</td></tr>
            """
        }
        return """
        <p><a href="/staf/pengaduan\(overdueOnly ? "" : "?terlambat=1")">\(overdueOnly ? "Tampilkan semua" : "Hanya yang terlambat")</a></p>
        <div class="table"><table><thead><tr><th scope="col">Nomor</th><th scope="col">Kategori</th><th scope="col">Status</th>
        <th scope="col">Masuk</th><th scope="col">Batas tindak lanjut</th><th scope="col">Tenggat</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func detail(_ complaint: Layar_V1_Complaint, staff: StaffSession, state: FormState) -> HTML {
        let actions = Labels.complaintActions.map { (value: String($0.0.rawValue), label: $0.1) }
        return """
        <p><span class="badge" id="status-pengaduan">\(Labels.complaintStatus(complaint.status))</span> · \(Labels.complaintCategory(complaint.category))
        · masuk \(Dates.show(complaint.filedAt))\(complaint.trackingCode.isEmpty ? "" : " · rujukan \(complaint.trackingCode)")
        · \(complaint.anonymous ? "tanpa nama" : (complaint.hasContact_p ? "kontak tersedia" : "tanpa kontak"))</p>
        <blockquote>\(complaint.description_p)</blockquote>
        <p>Batas penerusan: \(Dates.show(complaint.forwardingDue)) · batas tindak lanjut: \(Dates.show(complaint.followUpDue))</p>
        \(complaint.response.isEmpty ? .empty : "<p><strong>Tanggapan:</strong> \(complaint.response)</p>" as HTML)
        \(complaint.resolution.isEmpty ? .empty : "<p><strong>Penyelesaian:</strong> \(complaint.resolution)</p>" as HTML)
        \(complaint.laporStatus == .unspecified ? .empty : "<p>SP4N-LAPOR!: \(String(describing: complaint.laporStatus)) \(complaint.laporID) \(complaint.laporError)</p>" as HTML)
        <section class="panel"><h2>Tindakan</h2>
        \(ReferralFormPage.errorSummary(state))
        <form method="post" action="/staf/pengaduan/\(complaint.complaintID)" novalidate>\(Field.csrf(staff))
        \(Field.choices("action", "Tindakan", state: state, options: actions, multiple: false, required: true))
        \(Field.text("handler_id", "Petugas yang ditugaskan", state: state, hint: "Untuk 'Tugaskan ke petugas'.", extra: " maxlength=\"64\""))
        \(Field.textarea("text", "Teks tanggapan / penyelesaian / alasan", state: state, maxLength: 4000))
        <p><button type="submit" class="primary">Simpan</button></p></form></section>
        """
    }
}
