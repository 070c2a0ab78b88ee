import Foundation
import LayarDomain
import LayarRuntime
import LayarSchema

/// Referral figures of a period, from the monitoring read model.
public struct ReferralFigures: Sendable {
    public var submitted = 0
    public var completed = 0
    public var uniqueBeneficiaries = 0
    public var byPPKSKind: [(String, Int)] = []
    public var byKecamatan: [(String, Int)] = []
    public var byMonth: [(String, Int)] = []
    public var daysToCompletion: [Double] = []
    /// Messages delivered to applicants, by `Layar_V1_DeliveryChannel` value.
    public var applicantMessages: [(channel: Int, count: Int)] = []

    public init() {}
}

/// Assembles the monitoring report (monev) and its CSV from the period's figures.
public enum MonitoringReportBuilder {
    /// The office's own target for resolved complaints.
    public static let resolutionTarget = 0.71

    public static func build(
        from: CivilDate, to: CivilDate, referrals: ReferralFigures, complaints: [Layar_V1_Complaint],
        ikm: IKMCalculator.Result?
    ) -> Layar_V1_MonitoringReport {
        let resolved = complaints.filter(\.hasResolvedAt)
        let ratio = complaints.isEmpty ? 0 : Double(resolved.count) / Double(complaints.count)
        let hoursToFirstAction = complaints.filter(\.hasFirstActionAt).map {
            $0.firstActionAt.date.timeIntervalSince($0.filedAt.date) / 3600
        }
        let hoursToResolution = resolved.map { $0.resolvedAt.date.timeIntervalSince($0.filedAt.date) / 3600 }
        var report = Layar_V1_MonitoringReport.with {
            $0.from = Layar_V1_Date(from)
            $0.to = Layar_V1_Date(to)
            $0.referralsSubmitted = Int32(referrals.submitted)
            $0.referralsCompleted = Int32(referrals.completed)
            $0.uniqueBeneficiaries = Int32(referrals.uniqueBeneficiaries)
            $0.byPpksKind = referrals.byPPKSKind.map { entry($0.0, PPKSKind.all[$0.0]?.name ?? $0.0, $0.1) }
            $0.byKecamatan = referrals.byKecamatan.map { entry($0.0, BalanganRegions.kecamatan[$0.0] ?? $0.0, $0.1) }
            $0.byMonth = referrals.byMonth.map { entry($0.0, $0.0, $0.1) }
            $0.medianDaysToCompletion = rounded(Percentile.of(referrals.daysToCompletion, 0.5) ?? 0)
            $0.p90DaysToCompletion = rounded(Percentile.of(referrals.daysToCompletion, 0.9) ?? 0)
            $0.complaintsFiled = Int32(complaints.count)
            $0.complaintsResolved = Int32(resolved.count)
            $0.complaintResolutionRatio = rounded(ratio, places: 4)
            $0.resolutionTargetMet = !complaints.isEmpty && ratio >= resolutionTarget
            $0.complaintDeadlineMisses = Int32(complaints.reduce(0) {
                $0 + ($1.forwardingOverdue ? 1 : 0) + ($1.followUpOverdue ? 1 : 0)
            })
            $0.medianHoursToFirstAction = rounded(Percentile.of(hoursToFirstAction, 0.5) ?? 0)
            $0.medianHoursToResolution = rounded(Percentile.of(hoursToResolution, 0.5) ?? 0)
            $0.ikmConverted = ikm?.converted ?? 0
            $0.ikmGrade = ikm?.grade ?? ""
            $0.messagesByChannel = referrals.applicantMessages.map {
                let channel = Layar_V1_DeliveryChannel(rawValue: $0.channel) ?? .unspecified
                return entry(channelKey(channel), channelLabel(channel), $0.count)
            }
            let messages = referrals.applicantMessages.reduce(0) { $0 + $1.count }
            $0.messagesPerReferral = referrals.submitted == 0 ? 0 : rounded(Double(messages) / Double(referrals.submitted))
        }
        report.csv = csv(report)
        return report
    }

    /// `section,key,label,value` rows, RFC 4180 quoting.
    public static func csv(_ report: Layar_V1_MonitoringReport) -> String {
        var rows: [[String]] = [["section", "key", "label", "value"]]
        let period = "\(date(report.from))..\(date(report.to))"
        rows.append(["period", period, "Periode", period])
        let totals: [(String, String, String)] = [
            ("referrals_submitted", "Rujukan masuk", "\(report.referralsSubmitted)"),
            ("referrals_completed", "Rujukan selesai", "\(report.referralsCompleted)"),
            ("unique_beneficiaries", "Penerima manfaat (orang)", "\(report.uniqueBeneficiaries)"),
            ("median_days_to_completion", "Median hari sampai selesai", format(report.medianDaysToCompletion)),
            ("p90_days_to_completion", "Persentil 90 hari sampai selesai", format(report.p90DaysToCompletion)),
            ("complaints_filed", "Pengaduan masuk", "\(report.complaintsFiled)"),
            ("complaints_resolved", "Pengaduan selesai", "\(report.complaintsResolved)"),
            ("complaint_resolution_ratio", "Rasio penyelesaian pengaduan", format(report.complaintResolutionRatio, places: 4)),
            ("resolution_target_met", "Target 71% tercapai", report.resolutionTargetMet ? "ya" : "tidak"),
            ("complaint_deadline_misses", "Tenggat pengaduan terlewat", "\(report.complaintDeadlineMisses)"),
            ("median_hours_to_first_action", "Median jam sampai tindak lanjut pertama", format(report.medianHoursToFirstAction)),
            ("median_hours_to_resolution", "Median jam sampai selesai", format(report.medianHoursToResolution)),
            ("ikm_converted", "IKM (konversi)", format(report.ikmConverted)),
            ("ikm_grade", "Mutu pelayanan", report.ikmGrade),
            ("messages_per_referral", "Pesan ke pemohon per rujukan", format(report.messagesPerReferral)),
        ]
        rows += totals.map { ["total", $0.0, $0.1, $0.2] }
        rows += report.byPpksKind.map { ["ppks_kind", $0.key, $0.label, "\($0.count)"] }
        rows += report.byKecamatan.map { ["kecamatan", $0.key, $0.label, "\($0.count)"] }
        rows += report.byMonth.map { ["month", $0.key, $0.label, "\($0.count)"] }
        rows += report.messagesByChannel.map { ["messages", $0.key, $0.label, "\($0.count)"] }
        return rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { ",\"\r\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func channelKey(_ channel: Layar_V1_DeliveryChannel) -> String {
        switch channel {
        case .sms: "sms"
        case .whatsapp: "whatsapp"
        case .email: "email"
        case .inbox: "inbox"
        default: "other"
        }
    }

    static func channelLabel(_ channel: Layar_V1_DeliveryChannel) -> String {
        switch channel {
        case .sms: "SMS"
        case .whatsapp: "WhatsApp"
        case .email: "E-mail"
        case .inbox: "Kotak masuk"
        default: "Lainnya"
        }
    }

    static func entry(_ key: String, _ label: String, _ value: Int) -> Layar_V1_Count {
        .with {
            $0.key = key
            $0.label = label
            $0.count = Int32(value)
        }
    }

    static func date(_ date: Layar_V1_Date) -> String {
        String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }

    static func rounded(_ value: Double, places: Int = 2) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    static func format(_ value: Double, places: Int = 2) -> String {
        String(format: "%.\(places)f", value)
    }
}
