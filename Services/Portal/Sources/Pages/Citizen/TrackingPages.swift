import Foundation
import LayarSchema

/// Following a referral with its tracking code and PIN: the timeline, and adding documents or
/// withdrawing. The key travels only in POST bodies, never in a URL.
enum TrackingPages {
    static func form(state: FormState) -> HTML {
        """
        <p>Masukkan kode pelacakan dan PIN 6 angka yang Anda terima saat mengajukan rujukan.</p>
        \(ReferralFormPage.errorSummary(state))
        <form method="post" action="/lacak" novalidate>
        \(Field.text("tracking_code", "Kode pelacakan", state: state, hint: "Contoh: LYR-7K3M-Q9TX", required: true, extra: " autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"13\""))
        \(Field.text("pin", "PIN", state: state, hint: "6 angka, diberikan bersama kode pelacakan", required: true, extra: " inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"6\" pattern=\"[0-9]{6}\""))
        <p><button type="submit" class="primary">Lihat status</button></p>
        </form>
        """
    }

    static func status(_ view: Layar_V1_ReferralStatusView, pin: String, state: FormState = FormState()) -> HTML {
        let steps = view.timeline.reversed().map { entry -> HTML in
            """
            <li><strong>\(Labels.referralStatus(entry.status))</strong> <time datetime="\(iso(entry.at))">\(Dates.show(entry.at))</time>
            <p>\(entry.explanation)</p></li>
            """
        }
        let received = view.documents.map { "<li>\(Labels.documentKind($0.kind)) (\(Dates.size($0.sizeBytes)))</li>" as HTML }
        let key: HTML = "\(Field.hidden("tracking_code", view.trackingCode))\(Field.hidden("pin", pin))"
        var actions: [HTML] = []
        if view.status == .needsDocuments {
            let missing = view.missingDocuments.map { "<li>\(Labels.documentKind($0))</li>" as HTML }
            let inputs = ReferralFormInput.documentInputs.map { input in
                Field.file(input.name, Labels.documentKind(input.kind), state: state, hint: nil)
            }
            actions.append("""
            <section class="panel" aria-labelledby="dokumen-judul"><h2 id="dokumen-judul">Dokumen yang diminta</h2>
            <ul>\(missing)</ul>
            <form method="post" action="/lacak/dokumen" enctype="multipart/form-data">\(key)
            <p class="hint">\(DocumentLimits.hint)</p>\(state.errors["documents"].map { "<p class=\"field-error\">\($0)</p>" })
            \(inputs)<p><button type="submit" class="primary">Kirim dokumen</button></p></form></section>
            """)
        }
        if [.submitted, .verified, .assigned, .needsDocuments].contains(view.status) {
            actions.append("""
            <details class="panel"><summary>Batalkan rujukan</summary>
            <form method="post" action="/lacak/batal">\(key)
            \(Field.textarea("reason", "Alasan (boleh dikosongkan)", state: state, maxLength: 500))
            <p><button type="submit" class="danger">Ya, batalkan rujukan ini</button></p></form></details>
            """)
        }
        return """
        <div class="tracking-card"><p>Kode pelacakan</p><p class="tracking-code">\(view.trackingCode)</p>
        <p>Status sekarang: <strong id="status-sekarang">\(Labels.referralStatus(view.status))</strong></p><p>\(view.explanation)</p></div>
        \(actions)
        <h2>Riwayat</h2><ol class="timeline">\(steps)</ol>
        \(received.isEmpty ? .empty : "<h2>Dokumen diterima</h2><ul>\(received)</ul>" as HTML)
        """
    }

    private static func iso(_ timestamp: SwiftProtobuf.Google_Protobuf_Timestamp) -> String {
        ISO8601DateFormatter().string(from: timestamp.date)
    }
}

import SwiftProtobuf
