/// How to reach PostgreSQL. The connection string is a libpq URI or keyword string
/// (`postgresql://role:secret@127.0.0.1:5432/layar`); every connection additionally runs in
/// UTC with ISO dates and the given statement timeout.
public struct PostgresConfiguration: Sendable {
    public var connectionString: String
    /// Maximum open connections in a ``PostgresPool``.
    public var maximumConnections: Int = 4
    /// Statements running longer are cancelled by the server (SQLSTATE 57014).
    public var statementTimeout: Duration = .seconds(15)
    /// How long a connection attempt may take.
    public var connectTimeoutSeconds: Int = 5
    /// Reported to the server as `application_name`.
    public var applicationName: String = "layar"
    /// Overrides the role's `search_path` (tests use a fresh schema each); `nil` keeps the role's.
    public var searchPath: String?

    public init(connectionString: String) {
        self.connectionString = connectionString
    }

    /// libpq keyword/value pairs applied on top of the connection string.
    var overrides: [(String, String)] {
        let milliseconds = statementTimeout.components.seconds * 1000
            + statementTimeout.components.attoseconds / 1_000_000_000_000_000
        return [
            ("dbname", connectionString),  // expand_dbname: the string itself is parsed as conninfo.
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName),
            ("options", "-c TimeZone=UTC -c DateStyle=ISO -c statement_timeout=\(milliseconds)"
                + (searchPath.map { " -c search_path=\($0)" } ?? "")),
        ]
    }
}
