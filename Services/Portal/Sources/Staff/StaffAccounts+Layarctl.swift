import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime

/// layarctl's sessions: `layar-portal issue-token` opens one and prints its key; layarctl
/// exchanges the key at the portal for a two-minute token (``LayarctlTokenRoute``). Like a
/// console session, the key is stored only as its SHA-256 and ends with a password or role change
/// (``StaffAccounts/upsert(username:displayName:roles:caseWorkerID:password:)``), a disabled
/// account, or its hours.
extension StaffAccounts {
    /// Opens a layarctl session of `hours` for an active account; nil when there is no such account.
    public func openLayarctlSession(username: String, hours: Int) async throws -> String? {
        let now = clock.now
        let secret = Self.randomToken()
        let inserted = try await pool.query(
            """
            INSERT INTO staff_sessions (token_sha256, username, csrf_token, created_at, expires_at, purpose)
            SELECT $1, username, $3, $4, $4::timestamptz + make_interval(hours => $5), $6
            FROM staff_accounts WHERE username = $2 AND active
            """, [Self.digest(secret), username, Self.randomToken(), now, hours, SessionPurpose.layarctl.rawValue])
        return inserted.affectedRows == 1 ? LayarctlKey.prefix + secret : nil
    }

    /// The staff member a layarctl key stands for, with their roles as they are now; nil for a
    /// key that is malformed, unknown, ended or of a disabled account.
    func layarctlSession(key: String) async throws -> StaffSession? {
        guard LayarctlKey.isKey(key) else { return nil }
        return try await session(token: String(key.dropFirst(LayarctlKey.prefix.count)), purpose: .layarctl, now: clock.now)
    }
}
