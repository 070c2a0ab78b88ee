import LayarRuntime

/// The intake service's own settings (beyond ``ServiceConfiguration``), from the environment.
public struct IntakeConfiguration: Sendable {
    /// `LAYAR_RETENTION_DAYS` (1825, five years): how long a closed referral (completed,
    /// rejected, withdrawn) keeps its personal data before every service anonymises it.
    var retention: Duration = .seconds(1825 * 86_400)
    /// `LAYAR_RETENTION_SWEEP_SECONDS` (3600): how often the retention job looks.
    var sweepInterval: Duration = .seconds(3600)
    /// `LAYAR_TRUSTED_CALLERS`: CIDRs of the callers (the portal) whose `x-forwarded-for` names the
    /// client; empty: every peer is the client.
    var trustedCallers = TrustedProxies(list: "")!
    /// `LAYAR_PUBLIC_CALL_LIMIT` (120) and `LAYAR_PUBLIC_CALL_CEILING` (6000): public calls per
    /// client, and from everyone together, per 10 minutes, over all replicas.
    var publicCallLimit = 120
    var publicCallCeiling = 6_000

    public static func fromEnvironment(_ environment: [String: String]) throws -> IntakeConfiguration {
        var reader = EnvironmentReader(environment)
        let days = reader.integer("LAYAR_RETENTION_DAYS", default: 1825, in: 1...36_500)
        let sweep = reader.integer("LAYAR_RETENTION_SWEEP_SECONDS", default: 3600, in: 1...86_400)
        let callers = reader.optional("LAYAR_TRUSTED_CALLERS", default: "")
        let trusted = TrustedProxies(list: callers)
        if trusted == nil {
            reader.problems.append("LAYAR_TRUSTED_CALLERS=\(callers) is invalid: expected CIDRs like 10.0.0.0/8")
        }
        let limit = reader.integer("LAYAR_PUBLIC_CALL_LIMIT", default: 120, in: 1...100_000)
        let ceiling = reader.integer("LAYAR_PUBLIC_CALL_CEILING", default: 6_000, in: 1...10_000_000)
        try reader.validate()
        var configuration = IntakeConfiguration(retention: .seconds(days * 86_400), sweepInterval: .seconds(sweep))
        configuration.trustedCallers = trusted ?? configuration.trustedCallers
        configuration.publicCallLimit = limit
        configuration.publicCallCeiling = ceiling
        return configuration
    }
}
