import LayarJobs
import LayarPostgres
import LayarRuntime

/// Notification's schema: applicants' contact details and the messages recorded for them.
enum NotificationMigrations {
    static let all = [
        RuntimeMigrations.changeNotifier,
        RuntimeMigrations.outboxAndInbox,
        RuntimeMigrations.outboxTraceContext,
        RuntimeMigrations.auditLog,
        RuntimeMigrations.dataKeys,
        RuntimeMigrations.outboxParkedTopics,
        RuntimeMigrations.outboxChangeNotifications,
        CaseWorkerScope.migration,
        RateLimiter.migration,
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
        PostgresMigration(
            version: 4, name: "personal data sealed at rest",
            sql: """
                -- Before release, contacts were stored in the clear; sealing them needs the keys,
                -- which SQL does not have, so a database that holds some must be emptied first.
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM applicants WHERE phone <> '' OR email <> '')
                        OR EXISTS (SELECT 1 FROM messages WHERE channel <> 4 AND recipient <> '') THEN
                        RAISE EXCEPTION 'notification holds contacts stored in the clear (pre-release data): empty the schema first';
                    END IF;
                END $$;
                ALTER TABLE applicants DROP COLUMN phone, DROP COLUMN email, ADD COLUMN phone bytea, ADD COLUMN email bytea;
                COMMENT ON COLUMN applicants.phone IS 'Sealed (AES-GCM); NULL until the contact arrives';
                COMMENT ON COLUMN applicants.email IS 'Sealed (AES-GCM); NULL until the contact arrives';
                ALTER TABLE messages ADD COLUMN recipient_sealed bytea;
                COMMENT ON COLUMN messages.recipient IS 'A staff inbox name; empty when the address is sealed';
                COMMENT ON COLUMN messages.recipient_sealed IS 'The applicant''s phone or e-mail, sealed (AES-GCM)';
                """
        ),
        PostgresMigration(
            version: 5, name: "consent purposes",
            sql: """
                -- What the applicant consented to (ApplicantContactRecorded.consent_purposes); contacts
                -- recorded before carry none and keep the earlier behaviour.
                ALTER TABLE applicants ADD COLUMN notification_consent boolean NOT NULL DEFAULT true,
                    ADD COLUMN survey_consent boolean NOT NULL DEFAULT true;
                ALTER TABLE messages ADD COLUMN survey_invitation boolean NOT NULL DEFAULT false;
                """
        ),
            PostgresMigration(
            version: 6, name: "inbound messages and provider statuses",
            sql: """
                -- The applicant's phone as a blind index (HMAC-SHA256), so that a text from a
                -- phone finds its referrals without the phone being readable; filled for older
                -- rows by the webhook server at start (SQL has no key to compute it).
                ALTER TABLE applicants ADD COLUMN phone_index bytea;
                CREATE INDEX applicants_by_phone ON applicants (phone_index) WHERE phone_index IS NOT NULL;
                -- One row per text received (a webhook delivered twice is applied once); no
                -- text, no phone: what was asked, from which phone's index, and when (WhatsApp's
                -- 24-hour window for free-form messages opens with the applicant's last text).
                CREATE TABLE inbound_messages (
                    provider text NOT NULL,
                    provider_message_id text NOT NULL,
                    channel integer NOT NULL,
                    phone_index bytea NOT NULL,
                    command text NOT NULL,
                    received_at timestamptz NOT NULL,
                    answered_at timestamptz,
                    PRIMARY KEY (provider, provider_message_id)
                );
                CREATE INDEX inbound_messages_by_phone ON inbound_messages (phone_index, received_at);
                -- What the provider said later of a message it accepted (delivered, read, failed).
                ALTER TABLE messages ADD COLUMN provider_status text NOT NULL DEFAULT '',
                    ADD COLUMN provider_status_at timestamptz;
                CREATE INDEX messages_by_provider_id ON messages (provider_id) WHERE provider_id <> '';
                """
        ),
        PostgresMigration(
            version: 7, name: "messages wake the dispatcher",
            sql: """
                -- A message added, or made sendable (its applicant's contact arrived, a fallback
                -- channel chosen, a retry set), wakes the dispatcher instead of its polling
                -- (TableWakeups). Only these columns: a statement trigger fires even when it
                -- changes no row, and the dispatcher's claims (claimed_until, attempts) would
                -- otherwise wake the dispatcher itself round after round.
                CREATE TRIGGER messages_notify AFTER INSERT OR UPDATE OF channel, status, next_attempt_at ON messages
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
                """
        ),
        PostgresMigration(version: 8, name: "outbound delivery queue", sql: DeliveryQueueTable.tableSQL),
        PostgresMigration(
            version: 9, name: "pending messages move to the delivery queue",
            sql: """
                -- The queue's state (when, how often, the lease) leaves the messages, which stay
                -- the record; the queue's own notifications wake the dispatcher from now on.
                INSERT INTO deliveries (id, batch_key, priority, next_attempt_at, claimed_until, attempts, last_error)
                SELECT id,
                    CASE WHEN audience = 1 AND channel IN (1, 2) THEN referral_id::text || ' ' || channel ELSE '' END,
                    CASE WHEN urgent THEN 1 ELSE 0 END, next_attempt_at, claimed_until, attempts, last_error
                FROM messages WHERE status = 1 AND channel IN (1, 2, 3, 5) AND next_attempt_at IS NOT NULL;
                DROP TRIGGER messages_notify ON messages;
                """
        ),
        PostgresMigration(
            version: 10, name: "messages no longer indexed by their next attempt",
            sql: """
                -- The queue finds due messages now; this index only cost every insert and update.
                DROP INDEX messages_due;
                """
        ),
    ]
}
