import LayarPostgres
import LayarRuntime

/// Notification's schema: applicants' contact details and the messages recorded for them.
enum NotificationMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
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
    ]
}
