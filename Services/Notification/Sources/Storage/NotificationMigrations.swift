import LayarPostgres
import LayarRuntime

/// Notification's schema: applicants' contact details and the messages recorded for them.
enum NotificationMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
        RuntimeMigrations.outboxTraceContext,
        RuntimeMigrations.auditLog,
        PostgresMigration(
            version: 2, name: "applicants and messages",
            sql: """
                CREATE TABLE applicants (
                    referral_id uuid PRIMARY KEY,
                    tracking_code text NOT NULL DEFAULT '',
                    phone text NOT NULL DEFAULT '',
                    email text NOT NULL DEFAULT '',
                    preferred_channel integer
                );
                CREATE TABLE messages (
                    id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL,
                    event_id text NOT NULL,
                    event_type text NOT NULL,
                    audience integer NOT NULL,
                    channel integer NOT NULL,
                    body text NOT NULL,
                    status integer NOT NULL,
                    created_at timestamptz NOT NULL,
                    UNIQUE (event_id, audience, channel)
                );
                CREATE INDEX messages_by_referral ON messages (referral_id, created_at);
                """
        ),
        PostgresMigration(
            version: 3, name: "delivery",
            sql: """
                ALTER TABLE applicants
                    ADD COLUMN urgent boolean NOT NULL DEFAULT false,
                    ADD COLUMN ppks_kind text NOT NULL DEFAULT '',
                    ADD COLUMN kecamatan_code text NOT NULL DEFAULT '';
                -- Channel 4 meant "do not contact" before channels had their own enum.
                UPDATE messages SET channel = 0 WHERE channel = 4;
                ALTER TABLE messages
                    ADD COLUMN kind text NOT NULL DEFAULT '',
                    ADD COLUMN body_short text NOT NULL DEFAULT '',
                    ADD COLUMN body_long text NOT NULL DEFAULT '',
                    ADD COLUMN recipient text NOT NULL DEFAULT '',
                    ADD COLUMN urgent boolean NOT NULL DEFAULT false,
                    ADD COLUMN required_notice boolean NOT NULL DEFAULT false,
                    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
                    ADD COLUMN next_attempt_at timestamptz,
                    ADD COLUMN claimed_until timestamptz,
                    ADD COLUMN sent_at timestamptz,
                    ADD COLUMN provider_id text NOT NULL DEFAULT '',
                    ADD COLUMN last_error text NOT NULL DEFAULT '',
                    ADD COLUMN read_at timestamptz;
                COMMENT ON COLUMN messages.recipient IS 'E.164 phone, e-mail, or staff id/role; masked in every API answer';
                CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 1 AND channel IN (1, 2, 3, 5);
                CREATE INDEX messages_inbox ON messages (recipient, created_at) WHERE channel = 4;
                """
        ),
    ]
}
