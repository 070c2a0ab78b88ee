import LayarSchema

/// The satisfaction survey (SKM, PermenPANRB 14/2017): nine questions, four answers each, with
/// the regulation's labels as the survey service gives them.
enum SurveyPages {
    static func form(_ questionnaire: Layar_V1_Questionnaire, state: FormState) -> HTML {
        let questions = questionnaire.elements.map { element -> HTML in
            let name = "u\(element.element.rawValue)"
            let options = element.labels.enumerated().map { (value: String($0.offset + 1), label: $0.element) }
            return Field.choices(name, "U\(element.element.rawValue). \(element.question)", state: state, options: options, multiple: false, required: true)
        }
        let sexes = Labels.sexes.map { (value: String($0.0.rawValue), label: $0.1) }
        return """
        <p>Terima kasih sudah memakai layanan kami. Jawaban Anda membantu Dinas Sosial memperbaiki layanan (Survei Kepuasan Masyarakat).</p>
        \(ReferralFormPage.errorSummary(state))
        <form method="post" action="/survei" novalidate>
        \(Field.text("code", "Kode survei", state: state, hint: "Contoh: SKM-4K7P-Q2XM, dari pesan yang Anda terima.", required: true, extra: " autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"20\""))
        \(questions)
        \(Field.textarea("suggestion", "Saran (boleh dikosongkan)", state: state, maxLength: 2000))
        \(Field.choices("sex", "Jenis kelamin Anda (boleh dikosongkan)", state: state, options: sexes, multiple: false))
        <p><button type="submit" class="primary">Kirim jawaban</button></p>
        </form>
        """
    }

    static let thanks: HTML = """
    <p class="notice success" role="status">Jawaban Anda sudah kami terima. Terima kasih!</p>
    <p><a href="/">Kembali ke halaman utama</a></p>
    """
}
