import LayarRuntime

/// The intake service's own settings (beyond ``ServiceConfiguration``), from the environment.
public struct IntakeConfiguration: Sendable {
    /// `LAYAR_RETENTION_DAYS` (1825, five years): how long a closed referral (completed,
    /// rejected, withdrawn) keeps its personal data before every service anonymises it.
    var retention: Duration = .seconds(1825 * 86_400)
    /// `LAYAR_RETENTION_SWEEP_SECONDS` (3600): how often the retention job looks.
    var sweepInterval: Duration = .seconds(3600)

    public static func fromEnvironment(_ environment: [String: String]) throws -> IntakeConfiguration {
        var reader = EnvironmentReader(environment)
        let days = reader.integer("LAYAR_RETENTION_DAYS", default: 1825, in: 1...36_500)
        let sweep = reader.integer("LAYAR_RETENTION_SWEEP_SECONDS", default: 3600, in: 1...86_400)
        try reader.validate()
        return IntakeConfiguration(retention: .seconds(days * 86_400), sweepInterval: .seconds(sweep))
    }
}
