import Foundation
import LayarSchema
import SwiftProtobuf

/// Case workers' and supervisors' pages: the caseload with deadlines, and one case with its
/// ledger, offers and the forms for the next step.
enum CasePages {
    static func list(_ cases: [Layar_V1_Case], filters: FormState, staff: StaffSession) -> HTML {
        let rows = cases.map { found -> HTML in
            """
            <tr><td><a href="/staf/kasus/\(found.referralID)">\(found.caseID.prefix(8))</a></td><td>\(Labels.caseStatus(found.status))</td>
            <td>\(Labels.ppks(found.ppksKind))</td><td>\(Labels.kecamatan(found.kecamatanCode))</td><td>\(found.caseWorkerName.isEmpty ? "-" : found.caseWorkerName)</td>
            <td>\(nextDeadline(found).map(Dates.show) ?? "-")</td></tr>
            """
        }
        let scope: HTML = staff.has(.supervisor)
            ? Field.choices("semua", "Tampilkan", state: filters, options: [("", "Kasus saya"), ("1", "Semua kasus")], multiple: false)
            : .empty
        return """
        <form method="get" action="/staf/kasus" class="filters">\(scope)
        \(Field.select("tenggat", "Tenggat dalam", state: filters, options: [("1", "1 hari"), ("3", "3 hari"), ("7", "7 hari")], placeholder: "Semua"))
        <p><button type="submit">Saring</button></p></form>
        \(staff.caseWorkerID.isEmpty && !staff.has(.supervisor) ? "<p class=\"notice info\">Akun Anda belum terhubung ke data pendamping.</p>" as HTML : .empty)
        <p>\(cases.count) kasus.</p>
        <div class="table"><table><thead><tr><th scope="col">Kasus</th><th scope="col">Status</th><th scope="col">PPKS</th>
        <th scope="col">Kecamatan</th><th scope="col">Pendamping</th><th scope="col">Tenggat berikut</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
    }

    static func nextDeadline(_ found: Layar_V1_Case) -> Google_Protobuf_Timestamp? {
        switch found.status {
        case .unassigned: found.hasAssignDueAt ? found.assignDueAt : nil
        case .assigned: found.hasAssessDueAt ? found.assessDueAt : nil
        case .offered: found.offers.last { $0.status == .pending }?.answerDueAt
        default: nil
        }
    }

    static func detail(
        _ found: Layar_V1_Case, suggestions: [Layar_V1_Institution], staff: StaffSession, state: FormState
    ) -> HTML {
        let ledger = found.transitions.map { entry -> HTML in
            """
            <li><time>\(Dates.show(entry.at))</time> · <strong>\(Labels.transition(entry.type))</strong>
            \(entry.toParty.isEmpty ? "" : "→ \(entry.toParty)") · \(entry.actor)\(entry.reason.isEmpty ? "" : " · \(entry.reason)")</li>
            """
        }
        let offers = found.offers.map { offer -> HTML in
            """
            <tr><td>\(offer.institutionCode)</td><td>\(offer.letterNumber)</td><td>\(Labels.offerStatus(offer.status))</td>
            <td>\(Dates.show(offer.answerDueAt))</td><td>\(Labels.declineReason(offer.declineReason)) \(offer.note)</td></tr>
            """
        }
        let deadline = nextDeadline(found).map { "<p>Tenggat berikut: <strong>\(Dates.show($0))</strong></p>" as HTML }
        return """
        <p><span id="status-kasus" class="badge">\(Labels.caseStatus(found.status))</span> · \(Labels.ppks(found.ppksKind))
        · Kec. \(Labels.kecamatan(found.kecamatanCode)) · prioritas \(found.priority)
        · pendamping: \(found.caseWorkerName.isEmpty ? "belum ada" : found.caseWorkerName)</p>
        \(deadline)
        \(found.assessmentNeeds.isEmpty ? .empty : "<h2>Asesmen</h2><p><strong>Kebutuhan:</strong> \(found.assessmentNeeds)</p><p><strong>Rencana:</strong> \(found.assessmentPlan)</p><p>Layanan utama: \(Labels.need(found.service))</p>" as HTML)
        \(ReferralFormPage.errorSummary(state))
        \(CaseActionForms.forms(found, suggestions: suggestions, staff: staff, state: state))
        \(offers.isEmpty ? .empty : "<h2>Tawaran ke lembaga</h2><div class=\"table\"><table><thead><tr><th scope=\"col\">Lembaga</th><th scope=\"col\">No. surat</th><th scope=\"col\">Status</th><th scope=\"col\">Batas jawab</th><th scope=\"col\">Catatan</th></tr></thead><tbody>\(offers)</tbody></table></div>" as HTML)
        <h2>Riwayat kasus</h2><ol class="timeline">\(ledger)</ol>
        """
    }
}
