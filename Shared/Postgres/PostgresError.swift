/// An error from PostgreSQL or libpq, with the server's SQLSTATE when there is one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Connecting failed or the connection was lost.
        case connection
        /// The server refused the statement (see ``sqlState``).
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The pool is closed.
        case closed
    }

    public var kind: Kind
    /// Five-character SQLSTATE, e.g. `23505` unique violation, `57014` statement timeout.
    public var sqlState: String?
    public var message: String

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        "Postgres \(kind) error" + (sqlState.map { " \($0)" } ?? "") + ": \(message)"
    }

    /// The statement ran longer than the connection's statement timeout.
    public var isStatementTimeout: Bool { sqlState == "57014" }
    /// A unique or primary key constraint refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
}
