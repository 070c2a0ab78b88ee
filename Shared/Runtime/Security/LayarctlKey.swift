/// The contract between `layar-portal issue-token` and layarctl: the portal hands a staff member a
/// key to a revocable session of theirs (never a long-lived token), and layarctl exchanges it at
/// the portal for a short-lived staff token each time it runs. A password or role change, a
/// disabled account or the key's end stops the exchange, so the tokens stop within their
/// lifetime of ``tokenLifetime``.
public enum LayarctlKey {
    /// How a key starts, which tells it apart from a bearer token (a JWT) in `LAYAR_TOKEN`.
    public static let prefix = "layarctl."
    /// Where layarctl posts the key (`Authorization: Bearer <key>`); the answer is JSON
    /// ``Exchanged``.
    public static let exchangePath = "/staf/layarctl/token"
    /// The lifetime of the tokens the exchange makes: one command's worth.
    public static let tokenLifetime: Duration = .seconds(2 * 60)

    /// True when `credential` is a key to exchange rather than a token to send as it is.
    public static func isKey(_ credential: String) -> Bool {
        credential.hasPrefix(prefix)
    }

    /// The exchange's answer.
    public struct Exchanged: Codable, Sendable {
        /// The staff bearer token.
        public var token: String
        /// When it expires (seconds since 1970).
        public var expiresAt: Double

        public init(token: String, expiresAt: Double) {
            self.token = token
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAt = "expires_at"
        }
    }

    /// The exchange's refusal: `{"error": "..."}` in Bahasa Indonesia, for the person at the terminal.
    public struct Refusal: Codable, Sendable {
        public var error: String
        public init(error: String) { self.error = error }
    }
}
