import LayarDomain
import LayarSchema

/// The verifiers' queue and one referral with its checks, documents and decisions.
enum VerificationPages {
    static func queue(_ items: [Layar_V1_QueueItem], filters: FormState) -> HTML {
        let rows = items.map { item -> HTML in
            """
            <tr><td><a href="/staf/verifikasi/\(item.referralID)">\(item.trackingCode)</a></td>
            <td>\(Labels.kecamatan(item.kecamatanCode))</td><td>\(Labels.ppks(item.ppksKind))</td>
            <td class="num">\(item.priority)</td><td class="num">\(String(format: "%.1f", item.waitingHours)) jam</td>
            <td>\(Labels.verificationState(item.state))</td><td>\(item.failedChecks.joined(separator: ", "))</td></tr>
            """
        }
        let kecamatan = BalanganRegions.kecamatan.sorted { $0.key < $1.key }.map { (value: $0.key, label: $0.value) }
        let ppks = PPKSKind.list.map { (value: $0.code, label: "\($0.code) \($0.name)") }
        return """
        <form method="get" action="/staf/verifikasi" class="filters">
        \(Field.select("kecamatan", "Kecamatan", state: filters, options: kecamatan, placeholder: "Semua"))
        \(Field.select("ppks", "Jenis PPKS", state: filters, options: ppks, placeholder: "Semua"))
        \(Field.text("min_priority", "Prioritas minimal", state: filters, type: "number", extra: " min=\"0\" max=\"100\""))
        <p><button type="submit">Saring</button></p></form>
        <p>\(items.count) rujukan menunggu.</p>
        <div class="table"><table><caption class="visually-hidden">Antrean verifikasi</caption>
        <thead><tr><th scope="col">Kode</th><th scope="col">Kecamatan</th><th scope="col">PPKS</th><th scope="col">Prioritas</th>
        <th scope="col">Menunggu</th><th scope="col">Keadaan</th><th scope="col">Pemeriksaan gagal</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func detail(
        _ found: Layar_V1_VerificationCase, documents: [Layar_V1_DocumentInfo], staff: StaffSession, state: FormState
    ) -> HTML {
        let checks = found.checks.map { check -> HTML in
            let evidence = check.evidence.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            return """
            <tr class="\(check.passed ? "ok" : "fail")"><th scope="row">\(check.checkName.displayName)</th><td>\(check.passed ? "Lolos" : "Perlu dilihat")</td>
            <td>\(check.summary)</td><td>\(evidence)</td></tr>
            """
        }
        let documentLinks = documents.map { document -> HTML in
            """
            <li><a href="/staf/dokumen/\(found.referralID)/\(document.documentID)" target="_blank" rel="noopener">\(Labels.documentKind(document.kind))</a>
            (\(document.mediaType), \(Dates.size(document.sizeBytes)))</li>
            """
        }
        let decisions = found.decisions.map { decision -> HTML in
            "<li><time>\(Dates.show(decision.at))</time> · \(decision.action) · \(decision.actorID)\(decision.note.isEmpty ? "" : ": \(decision.note)")</li>"
        }
        let replies = found.applicantReplies.map { reply -> HTML in
            "<li><time>\(Dates.show(reply.receivedAt))</time> · \(Labels.deliveryChannel(reply.channel)): <q>\(reply.text)</q></li>"
        }
        return """
        <p><strong>\(found.trackingCode)</strong> · \(Labels.ppks(found.ppksKind)) · Kec. \(Labels.kecamatan(found.kecamatanCode))
        · prioritas \(found.priority)\(found.isChild ? " · anak" : "") · <span id="keadaan">\(Labels.verificationState(found.state))</span></p>
        <h2>Hasil pemeriksaan</h2>
        <div class="table"><table><thead><tr><th scope="col">Pemeriksaan</th><th scope="col">Hasil</th><th scope="col">Ringkasan</th><th scope="col">Bukti</th></tr></thead>
        <tbody>\(checks)</tbody></table></div>
        <h2>Dokumen</h2>\(documentLinks.isEmpty ? "<p>Belum ada dokumen.</p>" as HTML : "<ul>\(documentLinks)</ul>")
        <h2>Keputusan</h2>\(decisions.isEmpty ? "<p>Belum ada.</p>" as HTML : "<ol>\(decisions)</ol>")
        \(replies.isEmpty ? .empty : "<h2>Balasan pemohon</h2><ol id=\"balasan-pemohon\">\(replies)</ol>" as HTML)
        \(decisionForm(found, staff: staff, state: state))
        """
    }

    private static func decisionForm(_ found: Layar_V1_VerificationCase, staff: StaffSession, state: FormState) -> HTML {
        if found.state == .rejectionProposed, staff.has(.supervisor) {
            return """
            <section class="panel"><h2>Konfirmasi penolakan</h2>
            <form method="post" action="/staf/verifikasi/\(found.referralID)/konfirmasi">\(Field.csrf(staff))
            \(Field.choices("confirm", "Keputusan supervisor", state: state, options: [("ya", "Tolak rujukan"), ("tidak", "Kembalikan ke antrean")], multiple: false, required: true))
            \(Field.textarea("note", "Catatan", state: state, maxLength: 1000))
            <p><button type="submit" class="primary">Simpan</button></p></form></section>
            """
        }
        guard found.state == .queued else { return .empty }
        let reasons = Labels.rejectionReasons.map { (value: String($0.0.rawValue), label: $0.1) }
        let kinds = Labels.documentKinds.map { (value: String($0.0.rawValue), label: $0.1) }
        return """
        <section class="panel"><h2>Putuskan</h2>
        \(ReferralFormPage.errorSummary(state))
        <form method="post" action="/staf/verifikasi/\(found.referralID)/putuskan" novalidate>\(Field.csrf(staff))
        \(Field.choices("decision", "Keputusan", state: state, options: [("verify", "Verifikasi (temuan tidak menghalangi)"), ("request_information", "Minta dokumen/keterangan ke pemohon"), ("propose_rejection", "Usulkan penolakan (perlu konfirmasi supervisor)")], multiple: false, required: true))
        \(Field.textarea("note", "Catatan / pesan untuk pemohon", state: state, hint: "Wajib untuk permintaan dokumen dan usulan penolakan: pemohon membacanya.", maxLength: 1000))
        \(Field.choices("missing_documents", "Dokumen yang diminta", state: state, options: kinds, multiple: true))
        \(Field.select("reason", "Alasan penolakan", state: state, options: reasons))
        <p><button type="submit" class="primary">Simpan keputusan</button></p></form></section>
        """
    }
}

import Foundation
