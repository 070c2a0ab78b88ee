import LayarPostgres
import LayarRuntime

/// The portal's own schema: staff accounts and their sessions, nothing about referrals.
public enum PortalMigrations {
    public static let all = [
        PostgresMigration(
            version: 1, name: "staff accounts and sessions",
            sql: """
                CREATE TABLE staff_accounts (
                    username text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
                    display_name text NOT NULL,
                    roles text[] NOT NULL,
                    case_worker_id text NOT NULL DEFAULT '',
                    password_hash text NOT NULL,
                    active boolean NOT NULL DEFAULT true,
                    failed_logins integer NOT NULL DEFAULT 0,
                    locked_until timestamptz,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                CREATE TABLE staff_sessions (
                    token_sha256 text PRIMARY KEY,
                    username text NOT NULL REFERENCES staff_accounts (username) ON DELETE CASCADE,
                    csrf_token text NOT NULL,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL
                );
                CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);
                COMMENT ON COLUMN staff_sessions.token_sha256 IS 'SHA-256 of the cookie value: a stolen table opens no session';
                """
        ),
        // Counters shared by the replicas (RateLimiter): form posts and sign-ins.
        RateLimiter.migration,
        PostgresMigration(
            version: 2, name: "layarctl sessions",
            sql: """
                ALTER TABLE staff_sessions ADD COLUMN purpose text NOT NULL DEFAULT 'console'
                    CHECK (purpose IN ('console', 'layarctl'));
                COMMENT ON COLUMN staff_sessions.purpose IS
                    'console: a browser cookie; layarctl: a key exchanged for two-minute tokens (layar-portal issue-token)';
                """
        ),
    ]
}
