import Foundation
import LayarDomain
import LayarSchema

/// The monitoring and evaluation (monev) dashboard: the office's figures for a period, with
/// charts, the IKM with its grade, and the CSV the office reports with.
enum MonitoringPage {
    static func body(_ report: Layar_V1_MonitoringReport, ikm: Layar_V1_IKMReport?, period: FormState) -> HTML {
        let percent: @Sendable (Double) -> String = { String(format: "%.0f %%", $0) }
        let days: @Sendable (Double) -> String = { String(format: "%.1f hari", $0) }
        let charts = [
            BarChart(title: "Rujukan per bulan", bars: report.byMonth.map { (label: $0.label.isEmpty ? $0.key : $0.label, value: Double($0.count)) }),
            BarChart(title: "Rujukan per kecamatan", bars: report.byKecamatan.map { (label: $0.label.isEmpty ? Labels.kecamatan($0.key) : $0.label, value: Double($0.count)) }),
            BarChart(title: "Rujukan per jenis PPKS", bars: report.byPpksKind.map { (label: $0.label.isEmpty ? $0.key : $0.label, value: Double($0.count)) }),
            BarChart(title: "Waktu sampai layanan selesai", bars: [
                (label: "Median", value: report.medianDaysToCompletion), (label: "Persentil 90", value: report.p90DaysToCompletion),
            ], format: days),
            BarChart(title: "Pengaduan terselesaikan", bars: [
                (label: "Rasio penyelesaian", value: report.complaintResolutionRatio * 100),
            ], format: percent, target: (value: 71, label: "target 71 %")),
        ]
        let chartIDs = ["grafik-bulan", "grafik-kecamatan", "grafik-ppks", "grafik-waktu", "grafik-pengaduan"]
        let figures = zip(charts, chartIDs).map { $0.svg(id: $1) }
        let grade: HTML = ikm.map { ikm in
            ikm.respondents == 0
                ? "<p>Belum ada responden survei pada periode ini.</p>"
                : """
                <p class="big-figure"><strong id="nilai-ikm">\(String(format: "%.2f", ikm.ikmConverted))</strong> · mutu \(ikm.grade) (\(ikm.gradeLabel))</p>
                <p>\(Int(ikm.respondents)) responden dari minimal \(Int(ikm.minimumSample)) (Krejcie–Morgan)\(ikm.sampleSufficient ? "" : " — sampel belum cukup")</p>
                """
        } ?? "<p>IKM tidak dapat dimuat.</p>"
        let query = "dari=\(period["dari"])&sampai=\(period["sampai"])"
        return """
        <form method="get" action="/staf/monev" class="filters">
        \(Field.text("dari", "Dari tanggal", state: period, type: "date", required: true))
        \(Field.text("sampai", "Sampai tanggal", state: period, type: "date", required: true))
        <p><button type="submit">Tampilkan</button> <a class="button" href="/staf/monev.csv?\(query)" download>Unduh CSV</a></p></form>
        <ul class="figures">
        <li><strong>\(Int(report.referralsSubmitted))</strong> rujukan masuk</li>
        <li><strong>\(Int(report.referralsCompleted))</strong> selesai dilayani</li>
        <li><strong>\(Int(report.uniqueBeneficiaries))</strong> penerima manfaat</li>
        <li><strong>\(Int(report.complaintsFiled))</strong> pengaduan, <strong>\(Int(report.complaintsResolved))</strong> selesai \(report.resolutionTargetMet ? "(target tercapai)" : "(di bawah target 71 %)")</li>
        <li><strong>\(Int(report.complaintDeadlineMisses))</strong> tenggat pengaduan terlewat</li>
        <li id="pesan-pemohon"><strong>\(String(format: "%.1f", report.messagesPerReferral))</strong> pesan ke pemohon per rujukan\(
            report.messagesByChannel.isEmpty ? "" : " (" + report.messagesByChannel.map { "\($0.label) \($0.count)" }.joined(separator: ", ") + ")"
        )</li>
        </ul>
        <h2>Indeks Kepuasan Masyarakat (IKM)</h2>\(grade)
        <h2>Grafik</h2>\(figures)
        """
    }
}
