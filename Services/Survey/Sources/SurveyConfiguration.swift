import LayarDomain
import LayarRuntime

/// The survey service's own settings (beyond ``ServiceConfiguration``), from the environment.
public struct SurveyConfiguration: Sendable {
    /// `LAYAR_LAPOR_URL`: base URL of the SP4N-LAPOR! API; forwarding is off when unset.
    public var laporURL: String?
    /// `LAYAR_LAPOR_TOKEN`: bearer token for LAPOR!.
    public var laporToken: String
    /// `LAYAR_COMPLAINT_FORWARDING_DAYS` (3) and `LAYAR_COMPLAINT_FOLLOW_UP_DAYS` (5), in working days.
    var deadlines: ComplaintDeadlines
    /// `LAYAR_RETENTION_COMPLAINANT_DAYS` (365): how long a closed complaint keeps the
    /// complainant's name and phone.
    var complainantRetention: Duration = .seconds(365 * 86_400)

    public static func fromEnvironment(_ environment: [String: String]) throws -> SurveyConfiguration {
        var reader = EnvironmentReader(environment)
        let url = reader.optional("LAYAR_LAPOR_URL", default: "")
        if !url.isEmpty && !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            reader.problems.append("LAYAR_LAPOR_URL=\(url) is invalid: expected an http(s) URL")
        }
        var deadlines = ComplaintDeadlines()
        deadlines.forwardingDays = reader.integer("LAYAR_COMPLAINT_FORWARDING_DAYS", default: 3, in: 1...60)
        deadlines.followUpDays = reader.integer("LAYAR_COMPLAINT_FOLLOW_UP_DAYS", default: 5, in: 1...60)
        deadlines.calendar = reader.workingCalendar()
        let retentionDays = reader.integer("LAYAR_RETENTION_COMPLAINANT_DAYS", default: 365, in: 1...36_500)
        try reader.validate()
        return SurveyConfiguration(
            laporURL: url.isEmpty ? nil : url, laporToken: reader.optional("LAYAR_LAPOR_TOKEN", default: ""),
            deadlines: deadlines, complainantRetention: .seconds(retentionDays * 86_400)
        )
    }
}
