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
        PostgresMigration(
            version: 3, name: "subjects and decision history",
            sql: """
                -- What verification knows of each referral, to decide again when documents arrive.
                CREATE TABLE subjects (
                    referral_id uuid PRIMARY KEY,
                    submitted bytea NOT NULL,
                    document_kinds integer[] NOT NULL,
                    withdrawn boolean NOT NULL DEFAULT false
                );
                COMMENT ON COLUMN subjects.submitted IS 'The ReferralSubmitted event (protobuf)';
                ALTER TABLE verifications DROP CONSTRAINT verifications_pkey;
                ALTER TABLE verifications ADD COLUMN id bigserial PRIMARY KEY;
                ALTER TABLE verifications ADD COLUMN outcome text NOT NULL DEFAULT 'verified'
                    CHECK (outcome IN ('verified', 'rejected', 'information_requested'));
                UPDATE verifications SET outcome = CASE WHEN verified THEN 'verified' ELSE 'rejected' END;
                ALTER TABLE verifications DROP COLUMN verified;
                ALTER TABLE verifications ADD COLUMN missing_documents integer[] NOT NULL DEFAULT '{}';
                CREATE INDEX verifications_by_referral ON verifications (referral_id, id);
                """
        ),
    ]
}
