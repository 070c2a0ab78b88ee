import LayarJobs
import LayarPostgres
import LayarRuntime

/// Survey's schema: invitations and responses (SKM), complaints with their confidential contacts,
/// action ledger and LAPOR! forwarding queue, and the referral facts behind the monitoring report.
enum SurveyMigrations {
    static let all = [
        RuntimeMigrations.changeNotifier,
        RuntimeMigrations.outboxAndInbox,
        RuntimeMigrations.outboxTraceContext,
        RuntimeMigrations.auditLog,
        RuntimeMigrations.dataKeys,
        RuntimeMigrations.outboxParkedTopics,
        RuntimeMigrations.outboxChangeNotifications,
        CaseWorkerScope.migration,
        PostgresMigration(
            version: 2, name: "invitations",
            sql: """
                CREATE TABLE invitations (
                    id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL UNIQUE,
                    code text NOT NULL UNIQUE,
                    answered_at timestamptz,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL
                );
                """
        ),
        PostgresMigration(
            version: 3, name: "responses, complaints, referral facts",
            sql: """
                CREATE TABLE responses (
                    id uuid PRIMARY KEY,
                    invitation_id uuid UNIQUE REFERENCES invitations (id),
                    source text NOT NULL CHECK (source IN ('invitation', 'paper')),
                    operator_id text NOT NULL DEFAULT '',
                    answered_on date NOT NULL,
                    scores integer[] NOT NULL CHECK (array_length(scores, 1) = 9 AND 1 <= ALL (scores) AND 4 >= ALL (scores)),
                    suggestion text NOT NULL DEFAULT '',
                    sex integer NOT NULL DEFAULT 0,
                    age_group integer NOT NULL DEFAULT 0,
                    education integer NOT NULL DEFAULT 0,
                    occupation integer NOT NULL DEFAULT 0,
                    created_at timestamptz NOT NULL
                );
                COMMENT ON COLUMN responses.scores IS 'U1..U9 in element order, 1 (worst) to 4 (best)';
                CREATE INDEX responses_by_day ON responses (answered_on);

                CREATE TABLE referral_facts (
                    referral_id uuid PRIMARY KEY,
                    person_id uuid,
                    ppks_kind text,
                    kecamatan_code text,
                    submitted_at timestamptz,
                    completed_at timestamptz
                );
                CREATE INDEX referral_facts_submitted ON referral_facts (submitted_at);
                CREATE INDEX referral_facts_completed ON referral_facts (completed_at);

                CREATE TABLE complaints (
                    id uuid PRIMARY KEY,
                    reference text NOT NULL UNIQUE,
                    category integer NOT NULL,
                    channel integer NOT NULL,
                    priority integer NOT NULL,
                    status integer NOT NULL,
                    description text NOT NULL,
                    tracking_code text NOT NULL DEFAULT '',
                    anonymous boolean NOT NULL,
                    operator_id text NOT NULL DEFAULT '',
                    handler_id text NOT NULL DEFAULT '',
                    response text NOT NULL DEFAULT '',
                    resolution text NOT NULL DEFAULT '',
                    filed_at timestamptz NOT NULL,
                    first_action_at timestamptz,
                    resolved_at timestamptz,
                    closed_at timestamptz,
                    forwarding_due timestamptz NOT NULL,
                    follow_up_due timestamptz NOT NULL,
                    reopen_count integer NOT NULL DEFAULT 0,
                    lapor_status integer NOT NULL DEFAULT 0,
                    lapor_id text NOT NULL DEFAULT '',
                    lapor_error text NOT NULL DEFAULT ''
                );
                CREATE INDEX complaints_filed ON complaints (filed_at);

                -- Confidential: never returned by the API, never forwarded.
                CREATE TABLE complainant_contacts (
                    complaint_id uuid PRIMARY KEY REFERENCES complaints (id),
                    name text NOT NULL,
                    phone text NOT NULL
                );

                CREATE TABLE complaint_actions (
                    id bigserial PRIMARY KEY,
                    complaint_id uuid NOT NULL REFERENCES complaints (id),
                    action integer NOT NULL,
                    actor_id text NOT NULL,
                    text text NOT NULL,
                    at timestamptz NOT NULL
                );

                -- The LAPOR! outbox: written with the complaint change, sent by the forwarder.
                CREATE TABLE lapor_forwards (
                    complaint_id uuid PRIMARY KEY REFERENCES complaints (id),
                    payload bytea NOT NULL,
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL,
                    claimed_until timestamptz,
                    done_at timestamptz,
                    last_error text NOT NULL DEFAULT ''
                );
                CREATE INDEX lapor_forwards_due ON lapor_forwards (next_attempt_at) WHERE done_at IS NULL;
                """
        ),
        PostgresMigration(
            version: 4, name: "complaint view",
            sql: """
                -- What staff may see of a complaint: whether a contact exists, never the contact.
                CREATE VIEW complaint_views AS
                    SELECT c.*, (cc.complaint_id IS NOT NULL) AS has_contact
                    FROM complaints c LEFT JOIN complainant_contacts cc ON cc.complaint_id = c.id;
                """
        ),
        PostgresMigration(
            version: 5, name: "personal data sealed at rest",
            sql: """
                -- Before release, complaints were stored in the clear; sealing them needs the keys,
                -- which SQL does not have, so a database that holds some must be emptied first.
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM complaints) THEN
                        RAISE EXCEPTION 'survey holds complaints stored in the clear (pre-release data): empty the schema first';
                    END IF;
                END $$;
                DROP VIEW complaint_views;
                ALTER TABLE complaints ALTER COLUMN description TYPE bytea USING convert_to(description, 'UTF8');
                CREATE VIEW complaint_views AS
                    SELECT c.*, (cc.complaint_id IS NOT NULL) AS has_contact
                    FROM complaints c LEFT JOIN complainant_contacts cc ON cc.complaint_id = c.id;
                ALTER TABLE complainant_contacts ALTER COLUMN name TYPE bytea USING convert_to(name, 'UTF8'),
                    ALTER COLUMN phone TYPE bytea USING convert_to(phone, 'UTF8');
                COMMENT ON COLUMN complaints.description IS 'Sealed (AES-GCM)';
                COMMENT ON COLUMN complainant_contacts.name IS 'Sealed (AES-GCM)';
                COMMENT ON COLUMN complainant_contacts.phone IS 'Sealed (AES-GCM)';
                COMMENT ON COLUMN lapor_forwards.payload IS 'The LAPOR! report (JSON), sealed (AES-GCM)';
                """
        ),
        PostgresMigration(
            version: 6, name: "survey consent",
            sql: """
                -- Whether the applicant consented to the SURVEY purpose (ReferralSubmitted.consent_purposes);
                -- NULL when not known (a referral from before, or not seen yet).
                ALTER TABLE referral_facts ADD COLUMN survey_consent boolean;
                """
        ),
        PostgresMigration(
            version: 7, name: "messages delivered",
            sql: """
                -- NotificationDelivered, sent ones only: no address, no text (the report counts them).
                CREATE TABLE message_deliveries (
                    message_id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL,
                    audience integer NOT NULL,
                    channel integer NOT NULL,
                    delivered_at timestamptz NOT NULL
                );
                CREATE INDEX message_deliveries_by_time ON message_deliveries (delivered_at);
                """
        ),
        PostgresMigration(
            version: 8, name: "complaints to forward wake the forwarder",
            sql: """
                -- A complaint queued for LAPOR! (or queued again) wakes the forwarder instead of
                -- its polling (TableWakeups); not the claim's columns (claimed_until, attempts):
                -- a statement trigger fires even when it changes no row.
                CREATE TRIGGER lapor_forwards_notify AFTER INSERT OR UPDATE OF next_attempt_at, done_at ON lapor_forwards
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
                """
        ),
        PostgresMigration(version: 9, name: "outbound delivery queue", sql: DeliveryQueueTable.tableSQL),
        PostgresMigration(
            version: 10, name: "complaints to forward move to the delivery queue",
            sql: """
                -- lapor_forwards keeps the report and when it was done; when and how often it is
                -- tried is the queue's (its notifications wake the forwarder from now on).
                INSERT INTO deliveries (id, next_attempt_at, claimed_until, attempts, last_error)
                SELECT complaint_id, next_attempt_at, claimed_until, attempts, last_error FROM lapor_forwards WHERE done_at IS NULL;
                DROP TRIGGER lapor_forwards_notify ON lapor_forwards;
                """
        ),
        PostgresMigration(
            version: 11, name: "forwards no longer indexed by their next attempt",
            sql: """
                -- The queue finds due forwards now.
                DROP INDEX lapor_forwards_due;
                """
        ),
    ]
}
