import LayarPostgres
import LayarRuntime

/// Verification's schema: one decision per referral.
enum VerificationMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
        PostgresMigration(
            version: 2, name: "verifications",
            sql: """
                CREATE TABLE verifications (
                    referral_id uuid PRIMARY KEY,
                    verified boolean NOT NULL,
                    finding_codes text[] NOT NULL,
                    finding_messages text[] NOT NULL,
                    priority integer NOT NULL,
                    decided_at timestamptz NOT NULL
                );
                """
        ),
    ]
}
