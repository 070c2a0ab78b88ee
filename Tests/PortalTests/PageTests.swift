import LayarSchema
import Testing
@testable import LayarPortal

@Suite("Portal pages")
struct PageTests {
    @Test("text interpolated into HTML is escaped; fragments are not")
    func escaping() {
        let name = "<script>alert('x')</script> & \"co\""
        let html: HTML = "<p title=\"\(name)\">\(name)</p>\(HTML("<br>"))"
        #expect(html.markup == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;</p><br>")
    }

    @Test("an input has its label, and its problem tied to it for screen readers")
    func fieldWithError() {
        var state = FormState()
        state.values.append("12<3", to: "person.nik")
        state.errors["person.nik"] = "NIK harus terdiri dari 16 angka"
        let markup = Field.text("person.nik", "NIK", state: state, hint: "Ada di KTP", required: true).markup
        #expect(markup.contains("<label for=\"f-person-nik\">"))
        #expect(markup.contains("id=\"f-person-nik\" name=\"person.nik\" type=\"text\" value=\"12&lt;3\" required"))
        #expect(markup.contains("aria-describedby=\"f-person-nik-hint f-person-nik-error\" aria-invalid=\"true\""))
        #expect(markup.contains("<p class=\"field-error\" id=\"f-person-nik-error\">NIK harus terdiri dari 16 angka</p>"))
    }

    @Test("the referral form's problems link to their inputs; every input of the form has a label")
    func referralForm() throws {
        var state = FormState()
        state.errors["person.nik"] = "NIK salah"
        let markup = ReferralFormPage.body(state: state, action: "/rujukan").markup
        #expect(markup.contains("<a href=\"#f-person-nik\">NIK salah</a>"))
        // Every visible control's id has a <label for=...>.
        let ids = try Regex(#"<(?:input|select|textarea) id="([^"]+)""#)
        for match in markup.matches(of: ids) {
            let id = String(match.output[1].substring ?? "")
            #expect(markup.contains("for=\"\(id)\""), "no label for \(id)")
        }
        // Desa grouped by kecamatan: the form works without JavaScript.
        #expect(markup.contains("<optgroup label=\"Kec. Paringin\">"))
    }

    @Test("the staff inbox: a case worker's own inbox and their role's, unread ones counted and marked read per inbox, text escaped")
    func staffInbox() throws {
        let staff = StaffSession(username: "yusuf", displayName: "Yusuf", roles: [.caseWorker], caseWorkerID: "PS-01", csrfToken: "t0k")
        var inboxes = StaffInboxPage.inboxes(of: staff)
        #expect(inboxes.map(\.address) == ["PS-01", "role:case_worker"])
        inboxes[0].messages = [
            .with { $0.id = "m-1"; $0.body = "Kasus baru <LYR-ABCD-EFGH>"; $0.createdAt = .init(seconds: 1_796_000_000) },
            .with { $0.id = "m-2"; $0.body = "Sudah dibaca"; $0.read = true; $0.createdAt = .init(seconds: 1_795_000_000) },
        ]
        let markup = StaffInboxPage.body(inboxes, staff: staff).markup
        #expect(markup.contains("1 pesan belum dibaca."))
        #expect(markup.contains("Kasus baru &lt;LYR-ABCD-EFGH&gt;"))
        #expect(markup.contains("Untuk Anda <span class=\"badge\">1 belum dibaca</span>"))
        #expect(markup.contains("Untuk semua pendamping <span class=\"badge\">0 belum dibaca</span>"))
        // One form, for the inbox with an unread message: its id only, the session's CSRF token.
        #expect(markup.components(separatedBy: "<form").count == 2)
        #expect(markup.contains("value=\"m-1\"") && !markup.contains("value=\"m-2\""))
        #expect(markup.contains("name=\"csrf\" value=\"t0k\"") && markup.contains("name=\"recipient\" value=\"PS-01\""))
        #expect(StaffInboxPage.body([], staff: staff).markup.contains("Semua pesan sudah dibaca."))
    }

    @Test("the verifier's case shows what the applicant answered by SMS or WhatsApp, escaped, oldest first")
    func applicantReplies() {
        let found = Layar_V1_VerificationCase.with {
            $0.referralID = "5f0c7a8e-0000-4000-8000-000000000001"
            $0.trackingCode = "LYR-ABCD-EFGH"
            $0.state = .informationRequested
            $0.applicantReplies = [
                .with { $0.text = "KK <besok> saya antar"; $0.channel = .sms; $0.receivedAt = .init(seconds: 1_796_000_000) },
                .with { $0.text = "Sudah di kantor desa"; $0.channel = .whatsapp; $0.receivedAt = .init(seconds: 1_796_003_600) },
            ]
        }
        let staff = StaffSession(username: "verif1", displayName: "Verifikator", roles: [.verifier], caseWorkerID: "", csrfToken: "t")
        let markup = VerificationPages.detail(found, documents: [], staff: staff, state: FormState()).markup
        #expect(markup.contains("<h2>Balasan pemohon</h2>"))
        #expect(markup.contains("SMS: <q>KK &lt;besok&gt; saya antar</q>"))
        let first = try? #require(markup.range(of: "KK &lt;besok&gt;"))
        let second = try? #require(markup.range(of: "WhatsApp: <q>Sudah di kantor desa</q>"))
        #expect(first != nil && second != nil && first!.lowerBound < second!.lowerBound)
        #expect(!VerificationPages.detail(.with { $0.trackingCode = "LYR-X" }, documents: [], staff: staff, state: FormState()).markup.contains("Balasan pemohon"))
    }

    @Test("bar charts: one bar per value, labels escaped, the target line drawn")
    func chart() {
        let chart = BarChart(title: "Rujukan", bars: [(label: "Juai <1>", value: 3), (label: "Halong", value: 0)],
                             target: (value: 71, label: "target 71 %"))
        let svg = chart.svg(id: "grafik").markup
        #expect(svg.components(separatedBy: "class=\"chart-bar\"").count - 1 == 2)
        #expect(svg.contains("Juai &lt;1&gt;") && !svg.contains("Juai <1>"))
        #expect(svg.contains("class=\"chart-target\""))
        #expect(svg.contains("role=\"img\""))
    }
}
