import LayarPostgres
import LayarRuntime

/// Intake's schema: the referrals as submitted, with their status projected from downstream events.
enum IntakeMigrations {
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
            version: 2, name: "referrals",
            sql: """
                CREATE TABLE referrals (
                    id uuid PRIMARY KEY,
                    tracking_code text NOT NULL UNIQUE,
                    nik text NOT NULL,
                    full_name text NOT NULL,
                    birth_date date NOT NULL,
                    kecamatan_code text NOT NULL,
                    desa_code text NOT NULL,
                    ppks_kind text NOT NULL,
                    urgency integer NOT NULL,
                    channel integer NOT NULL,
                    form bytea NOT NULL,
                    consent_given_by text NOT NULL,
                    consent_purposes text[] NOT NULL,
                    consented_at timestamptz NOT NULL,
                    status integer NOT NULL,
                    status_progress integer NOT NULL,
                    status_note text NOT NULL DEFAULT '',
                    case_worker_name text NOT NULL DEFAULT '',
                    submitted_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                COMMENT ON COLUMN referrals.form IS 'The form as submitted (layar.v1.ReferralForm, protobuf)';
                CREATE INDEX referrals_nik ON referrals (nik);
                """
        ),
        PostgresMigration(
            version: 3, name: "documents, timeline, idempotency, duplicates, tracking throttle",
            sql: """
                ALTER TABLE referrals
                    ADD COLUMN request_id uuid UNIQUE,
                    ADD COLUMN is_child boolean NOT NULL DEFAULT false,
                    ADD COLUMN consent_giver integer NOT NULL DEFAULT 0,
                    ADD COLUMN consent_channel integer NOT NULL DEFAULT 0,
                    ADD COLUMN operator_id text NOT NULL DEFAULT '',
                    ADD COLUMN missing_documents integer[] NOT NULL DEFAULT '{}';
                -- One open referral per person: REJECTED (3), COMPLETED (5) and WITHDRAWN (7) are closed.
                CREATE UNIQUE INDEX referrals_one_open_per_nik ON referrals (nik) WHERE status NOT IN (3, 5, 7);

                CREATE TABLE documents (
                    id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL REFERENCES referrals (id),
                    kind integer NOT NULL,
                    file_name text NOT NULL,
                    media_type text NOT NULL,
                    size_bytes integer NOT NULL,
                    sha256 text NOT NULL,
                    content bytea NOT NULL,
                    added_at timestamptz NOT NULL
                );
                CREATE INDEX documents_by_referral ON documents (referral_id, added_at);

                CREATE TABLE timeline (
                    id bigserial PRIMARY KEY,
                    referral_id uuid NOT NULL REFERENCES referrals (id),
                    status integer NOT NULL,
                    at timestamptz NOT NULL,
                    explanation text NOT NULL
                );
                CREATE INDEX timeline_by_referral ON timeline (referral_id, at, id);
                INSERT INTO timeline (referral_id, status, at, explanation)
                    SELECT id, 1, submitted_at, 'Rujukan diterima.' FROM referrals;

                -- Submissions for a person who already had an open referral, linked to it.
                CREATE TABLE linked_submissions (
                    id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL REFERENCES referrals (id),
                    request_id uuid UNIQUE,
                    form bytea NOT NULL,
                    submitted_at timestamptz NOT NULL
                );

                -- Wrong tracking code + birth date attempts, for throttling guesses.
                CREATE TABLE tracking_failures (
                    tracking_code text NOT NULL,
                    failed_at timestamptz NOT NULL
                );
                CREATE INDEX tracking_failures_by_code ON tracking_failures (tracking_code, failed_at);
                """
        ),
        PostgresMigration(
            version: 4, name: "pseudonymous persons",
            sql: """
                -- A stable random id per NIK: other services count people without seeing the NIK.
                CREATE TABLE persons (
                    id uuid PRIMARY KEY,
                    nik text NOT NULL UNIQUE
                );
                INSERT INTO persons (id, nik) SELECT DISTINCT ON (nik) gen_random_uuid(), nik FROM referrals;
                ALTER TABLE referrals ADD COLUMN person_id uuid REFERENCES persons (id);
                UPDATE referrals r SET person_id = p.id FROM persons p WHERE p.nik = r.nik;
                """
        ),
        PostgresMigration(
            version: 5, name: "personal data sealed at rest",
            sql: """
                -- Before release, referrals were stored in the clear; sealing them needs the keys,
                -- which SQL does not have, so a database that holds some must be emptied first.
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM referrals) OR EXISTS (SELECT 1 FROM persons) THEN
                        RAISE EXCEPTION 'intake holds referrals stored in the clear (pre-release data): empty the schema first';
                    END IF;
                END $$;
                -- NIKs are found by their keyed blind index (HMAC-SHA256); the sealed form keeps the rest.
                DROP INDEX referrals_nik;
                DROP INDEX referrals_one_open_per_nik;
                ALTER TABLE referrals DROP COLUMN nik, DROP COLUMN full_name, DROP COLUMN consent_given_by,
                    ADD COLUMN nik_index bytea NOT NULL;
                CREATE INDEX referrals_nik ON referrals (nik_index);
                CREATE UNIQUE INDEX referrals_one_open_per_nik ON referrals (nik_index) WHERE status NOT IN (3, 5, 7);
                COMMENT ON COLUMN referrals.form IS 'The form as submitted (layar.v1.ReferralForm, protobuf), sealed (AES-GCM)';
                ALTER TABLE persons DROP COLUMN nik, ADD COLUMN nik_index bytea NOT NULL UNIQUE;
                ALTER TABLE documents ALTER COLUMN file_name TYPE bytea USING convert_to(file_name, 'UTF8');
                COMMENT ON COLUMN documents.file_name IS 'Sealed (AES-GCM)';
                COMMENT ON COLUMN documents.content IS 'Sealed (AES-GCM)';
                COMMENT ON COLUMN linked_submissions.form IS 'Sealed (AES-GCM)';
                """
        ),
            PostgresMigration(
            version: 6, name: "data-subject requests",
            sql: """
                -- Requests of people about their data (UU 27/2022) and the retention job's own; each
                -- service's answer is kept with it, an export's part sealed.
                CREATE TABLE data_subject_requests (
                    id uuid PRIMARY KEY,
                    kind integer NOT NULL,
                    opened_by text NOT NULL,
                    reason bytea NOT NULL,
                    referral_ids uuid[] NOT NULL,
                    tracking_codes text[] NOT NULL,
                    opened_at timestamptz NOT NULL,
                    due_at timestamptz NOT NULL,
                    completed_at timestamptz
                );
                COMMENT ON COLUMN data_subject_requests.reason IS 'Sealed (AES-GCM)';
                CREATE INDEX data_subject_requests_open ON data_subject_requests (due_at) WHERE completed_at IS NULL;
                CREATE TABLE data_subject_answers (
                    request_id uuid NOT NULL REFERENCES data_subject_requests (id),
                    service text NOT NULL,
                    answered_at timestamptz NOT NULL,
                    records integer NOT NULL,
                    export_json bytea,
                    PRIMARY KEY (request_id, service)
                );
                COMMENT ON COLUMN data_subject_answers.export_json IS 'An export''s part, sealed (AES-GCM)';
                -- Erased or past retention: the personal fields are gone, the counts remain.
                ALTER TABLE referrals ADD COLUMN anonymised_at timestamptz;
                CREATE INDEX referrals_retention ON referrals (updated_at) WHERE anonymised_at IS NULL AND status IN (3, 5, 7);
                """
        ),
        PostgresMigration(
            version: 7, name: "idempotency keys bound to their form",
            sql: """
                -- A request_id answers again only for the form it was first used with (a keyed hash of
                -- that form); rows from before carry none and keep answering as they did.
                ALTER TABLE referrals ADD COLUMN request_fingerprint bytea;
                ALTER TABLE linked_submissions ADD COLUMN request_fingerprint bytea;
                """
        ),
        PostgresMigration(
            version: 8, name: "tracking PIN; linked submissions answered like new ones",
            sql: """
                -- The applicant's second factor: six random digits answered with the tracking code,
                -- sealed so that a retry of the same request answers the same PIN. Referrals from
                -- before carry none: their applicants follow them through the office.
                ALTER TABLE referrals ADD COLUMN tracking_pin bytea;
                COMMENT ON COLUMN referrals.tracking_pin IS 'Sealed (AES-GCM)';
                -- A submission for a person with an open referral gets its own code and PIN and its
                -- own status for its applicant (submitted, or withdrawn by them), so the answer never
                -- reveals the open referral.
                ALTER TABLE linked_submissions ADD COLUMN tracking_code text UNIQUE, ADD COLUMN tracking_pin bytea,
                    ADD COLUMN channel integer NOT NULL DEFAULT 0, ADD COLUMN status integer NOT NULL DEFAULT 1,
                    ADD COLUMN updated_at timestamptz;
                COMMENT ON COLUMN linked_submissions.tracking_pin IS 'Sealed (AES-GCM)';
                """
        ),
        PostgresMigration(
            version: 9, name: "consent changes",
            sql: """
                -- Every change of a referral's consent after submission (an applicant's STOP by SMS
                -- or WhatsApp, through notification's ApplicantOptedOut): before, after, how, when.
                CREATE TABLE consent_changes (
                    referral_id uuid NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
                    event_id text NOT NULL,
                    purposes_before text[] NOT NULL,
                    purposes_after text[] NOT NULL,
                    channel integer NOT NULL,
                    changed_at timestamptz NOT NULL,
                    recorded_at timestamptz NOT NULL,
                    PRIMARY KEY (referral_id, event_id)
                );
                """
        ),
        PostgresMigration(
            version: 10, name: "people without a NIK or papers",
            sql: """
                -- A person without papers has no NIK (no blind index, no link by it) and no birth
                -- date: an estimated age instead, and their name sealed on its own for finding
                -- possible duplicates among such referrals.
                ALTER TABLE referrals ALTER COLUMN nik_index DROP NOT NULL, ALTER COLUMN birth_date DROP NOT NULL,
                    ADD COLUMN sex integer, ADD COLUMN estimated_age integer, ADD COLUMN match_name bytea;
                COMMENT ON COLUMN referrals.match_name IS 'Sealed (AES-GCM)';
                CREATE INDEX referrals_unidentified ON referrals (submitted_at)
                    WHERE estimated_age IS NOT NULL AND anonymised_at IS NULL;
                ALTER TABLE persons ALTER COLUMN nik_index DROP NOT NULL;
                """
        ),
    ]
}
