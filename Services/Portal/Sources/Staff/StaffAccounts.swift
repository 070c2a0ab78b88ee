import Crypto
import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime

/// Staff accounts and sessions in the portal's own schema. A session cookie carries a random
/// token; only its SHA-256 is stored. Five wrong passwords lock an account for 15 minutes.
public struct StaffAccounts: Sendable {
    let pool: PostgresPool
    /// The portal's clock: session expiry, lockouts, account changes.
    let clock: LayarClock
    var sessionLength: Duration = .seconds(10 * 3600)
    /// The cost new password hashes are made with (and older ones raised to at sign-in).
    let passwordCost: PasswordHasher.Cost
    /// Where hashes run: off the cooperative pool, a bounded number at a time.
    let hashing: PasswordHashingPool
    /// Verified against for an unknown user, so that the answer takes as long as for a known one.
    private let decoyHash: String
    static let lockAfterFailures = 5
    static let lockSeconds = 15 * 60

    public init(
        pool: PostgresPool, clock: LayarClock, sessionHours: Int = 10, passwordCost: PasswordHasher.Cost = .standard,
        hashing: PasswordHashingPool = PasswordHashingPool(concurrency: 2, queueLimit: 16)
    ) {
        self.pool = pool
        self.clock = clock
        self.sessionLength = .seconds(sessionHours * 3600)
        self.passwordCost = passwordCost
        self.hashing = hashing
        self.decoyHash = (try? PasswordHasher.hash("decoy", cost: passwordCost)) ?? ""
    }

    /// `password` hashed at the accounts' cost, on the hashing pool.
    private func hashed(_ password: String) async throws -> String {
        let cost = passwordCost
        return try await hashing.run { Result { try PasswordHasher.hash(password, cost: cost) } }.get()
    }

    /// Creates or replaces an account (the password is hashed here). A replaced account's
    /// sessions end, the console's and layarctl's: a new password or fewer roles take effect at
    /// once in the console, and within ``LayarctlKey/tokenLifetime`` for a layarctl token already
    /// made (the services check tokens by signature alone).
    public func upsert(
        username: String, displayName: String, roles: Set<StaffRole>, caseWorkerID: String = "", password: String
    ) async throws {
        let now = clock.now
        let hash = try await hashed(password)
        try await pool.withTransaction { connection in
            try await connection.query(
                """
                INSERT INTO staff_accounts (username, display_name, roles, case_worker_id, password_hash, created_at, updated_at)
                VALUES ($1, $2, $3::text[], $4, $5, $6, $6)
                ON CONFLICT (username) DO UPDATE SET display_name = $2, roles = $3::text[], case_worker_id = $4,
                    password_hash = $5, active = true, failed_logins = 0, locked_until = NULL, updated_at = $6
                """,
                [username, displayName, PostgresTextArray(roles.map(\.rawValue).sorted()), caseWorkerID, hash, now]
            )
            try await connection.query("DELETE FROM staff_sessions WHERE username = $1", [username])
        }
    }

    /// Creates the account unless one of that name exists, which is left exactly as it is
    /// (its password, roles and lockout): a restart never resets an account. Answers whether it
    /// was created.
    public func createIfAbsent(
        username: String, displayName: String, roles: Set<StaffRole>, password: String
    ) async throws -> Bool {
        guard try await account(username) == nil else { return false }
        let now = clock.now
        let hash = try await hashed(password)
        let inserted = try await pool.query(
            """
            INSERT INTO staff_accounts (username, display_name, roles, case_worker_id, password_hash, created_at, updated_at)
            VALUES ($1, $2, $3::text[], '', $4, $5, $5) ON CONFLICT (username) DO NOTHING
            """,
            [username, displayName, PostgresTextArray(roles.map(\.rawValue).sorted()), hash, now]
        )
        return inserted.affectedRows == 1
    }

    enum LoginResult: Sendable {
        case signedIn(token: String, session: StaffSession)
        case refused
        case locked
        /// Every hashing slot and queue place is taken: try again shortly (nothing was checked).
        case busy
    }

    /// Checks a password and opens a session. The same answer for an unknown user and a wrong
    /// password; the hash runs either way so timing tells nothing either.
    func logIn(username: String, password: String) async throws -> LoginResult {
        let now = clock.now
        let rows = try await pool.query(
            """
            SELECT password_hash, locked_until FROM staff_accounts WHERE username = $1 AND active
            """, [username])
        let decoy = decoyHash
        guard let row = rows.first else {
            return (try? await hashing.run { PasswordHasher.verify(password, against: decoy) }) == nil ? .busy : .refused
        }
        if let lockedUntil = try row.decode(Date?.self, "locked_until"), lockedUntil > now { return .locked }
        let stored = try row.decode(String.self, "password_hash")
        let cost = passwordCost
        // An older or cheaper hash is replaced while the password is at hand (hashed here, before
        // the transaction, so that no connection waits on a hash).
        let check: (matches: Bool, rehash: String?)
        do {
            check = try await hashing.run {
                let matches = PasswordHasher.verify(password, against: stored)
                let rehash = matches && PasswordHasher.needsRehash(stored, cost: cost) ? try? PasswordHasher.hash(password, cost: cost) : nil
                return (matches, rehash)
            }
        } catch is PasswordHashingPool.Busy {
            return .busy
        }
        guard check.matches else {
            try await pool.query(
                """
                UPDATE staff_accounts SET failed_logins = f.failed,
                    locked_until = CASE WHEN f.failed >= $2 THEN $3::timestamptz + make_interval(secs => $4) END
                FROM (
                    -- After a lock has run out the count starts again: one more wrong password does
                    -- not lock the account at once.
                    SELECT CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN 1 ELSE failed_logins + 1 END AS failed
                    FROM staff_accounts WHERE username = $1
                ) f
                WHERE username = $1
                """, [username, Self.lockAfterFailures, now, Self.lockSeconds])
            return .refused
        }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        try await pool.withTransaction { connection in
            try await connection.query(
                "UPDATE staff_accounts SET failed_logins = 0, locked_until = NULL WHERE username = $1", [username])
            if let rehash = check.rehash {
                try await connection.query("UPDATE staff_accounts SET password_hash = $2 WHERE username = $1", [username, rehash])
            }
            try await connection.query("DELETE FROM staff_sessions WHERE expires_at < $1", [now])
            try await connection.query(
                """
                INSERT INTO staff_sessions (token_sha256, username, csrf_token, created_at, expires_at, purpose)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, [Self.digest(token), username, csrf, now, now.addingTimeInterval(Double(sessionLength.components.seconds)), SessionPurpose.console.rawValue])
        }
        guard let session = try await session(token: token, purpose: .console, now: now) else { return .refused }
        return .signedIn(token: token, session: session)
    }

    /// The session a cookie token opens, if it is current and the account still active.
    func session(token: String) async throws -> StaffSession? {
        try await session(token: token, purpose: .console, now: clock.now)
    }

    /// The session `token` opens for `purpose` (a layarctl key is no cookie, nor a cookie a key),
    /// with the account's roles as they are now.
    func session(token: String, purpose: SessionPurpose, now: Date) async throws -> StaffSession? {
        let rows = try await pool.query(
            """
            SELECT a.username, a.display_name, a.roles, a.case_worker_id, s.csrf_token
            FROM staff_sessions s JOIN staff_accounts a ON a.username = s.username
            WHERE s.token_sha256 = $1 AND s.purpose = $3 AND s.expires_at > $2 AND a.active
            """, [Self.digest(token), now, purpose.rawValue])
        return try rows.first.map { row in
            StaffSession(
                username: try row.decode(String.self, "username"),
                displayName: try row.decode(String.self, "display_name"),
                roles: Set(try row.decode(PostgresTextArray.self, "roles").elements.compactMap(StaffRole.init(rawValue:))),
                caseWorkerID: try row.decode(String.self, "case_worker_id"),
                csrfToken: try row.decode(String.self, "csrf_token"),
                sessionID: String(Self.digest("session:" + token).prefix(16))
            )
        }
    }

    /// An active account's roles and case-worker id.
    public func account(_ username: String) async throws -> (roles: Set<StaffRole>, caseWorkerID: String)? {
        try await pool.query(
            "SELECT roles, case_worker_id FROM staff_accounts WHERE username = $1 AND active", [username]
        ).first.map { row in
            (Set(try row.decode(PostgresTextArray.self, "roles").elements.compactMap(StaffRole.init(rawValue:))),
             try row.decode(String.self, "case_worker_id"))
        }
    }

    func logOut(token: String) async throws {
        try await pool.query("DELETE FROM staff_sessions WHERE token_sha256 = $1", [Self.digest(token)])
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes, base64url: a cookie-safe value.
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
