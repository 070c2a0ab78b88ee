import LayarPostgres
import LayarRuntime

/// Verification's schema: one decision per referral.
enum VerificationMigrations {
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
        PostgresMigration(
            version: 4, name: "social registry snapshots",
            sql: """
                -- Two tables take turns: an import loads the idle one, then the view switches to it in
                -- one transaction, so lookups always see one whole snapshot.
                CREATE TABLE registry_people_a (
                    registry_id text NOT NULL,
                    nik text NOT NULL,
                    kk text NOT NULL,
                    name text NOT NULL,
                    birth_place text NOT NULL,
                    birth_date date NOT NULL,
                    sex char(1) NOT NULL,
                    relation text NOT NULL,
                    kecamatan_code text NOT NULL,
                    desa_code text NOT NULL,
                    address text NOT NULL,
                    decile smallint,
                    pkh boolean NOT NULL,
                    bpnt boolean NOT NULL,
                    pbi_jk boolean NOT NULL
                );
                CREATE TABLE registry_people_b (LIKE registry_people_a);
                CREATE INDEX registry_a_nik ON registry_people_a (nik);
                CREATE INDEX registry_a_kk ON registry_people_a (kk);
                CREATE INDEX registry_b_nik ON registry_people_b (nik);
                CREATE INDEX registry_b_kk ON registry_people_b (kk);
                CREATE VIEW registry_current AS SELECT * FROM registry_people_a;
                CREATE TABLE registry_snapshots (
                    id bigserial PRIMARY KEY,
                    slot text NOT NULL CHECK (slot IN ('a', 'b')),
                    source text NOT NULL,
                    snapshot_date date NOT NULL,
                    imported_at timestamptz NOT NULL,
                    row_count integer NOT NULL,
                    rejected_count integer NOT NULL,
                    active boolean NOT NULL DEFAULT false
                );
                CREATE UNIQUE INDEX registry_one_active ON registry_snapshots (active) WHERE active;
                """
        ),
        PostgresMigration(
            version: 5, name: "checks, queue, decisions, document checklist",
            sql: """
                ALTER TABLE subjects
                    ADD COLUMN nik text NOT NULL DEFAULT '',
                    ADD COLUMN tracking_code text NOT NULL DEFAULT '',
                    ADD COLUMN kecamatan_code text NOT NULL DEFAULT '',
                    ADD COLUMN ppks_kind text NOT NULL DEFAULT '',
                    ADD COLUMN state text NOT NULL DEFAULT 'checking' CHECK (state IN ('checking', 'queued',
                        'information_requested', 'verified', 'rejection_proposed', 'rejected', 'withdrawn', 'completed')),
                    ADD COLUMN priority integer NOT NULL DEFAULT 0,
                    ADD COLUMN checks bytea,
                    ADD COLUMN queued_at timestamptz,
                    ADD COLUMN proposed_by text NOT NULL DEFAULT '',
                    ADD COLUMN proposed_reason integer NOT NULL DEFAULT 0,
                    ADD COLUMN proposed_note text NOT NULL DEFAULT '',
                    ADD COLUMN registry_proposal boolean NOT NULL DEFAULT false;
                UPDATE subjects SET state = 'withdrawn' WHERE withdrawn;
                CREATE INDEX subjects_open_by_nik ON subjects (nik) WHERE state NOT IN ('rejected', 'withdrawn', 'completed');
                CREATE INDEX subjects_queue ON subjects (priority DESC, queued_at) WHERE state IN ('queued', 'rejection_proposed');
                COMMENT ON COLUMN subjects.checks IS 'layar.v1.VerificationCase with only its checks (protobuf)';

                ALTER TABLE verifications
                    ADD COLUMN action text NOT NULL DEFAULT '',
                    ADD COLUMN actor_id text NOT NULL DEFAULT 'system',
                    ADD COLUMN note text NOT NULL DEFAULT '',
                    ADD COLUMN reason integer NOT NULL DEFAULT 0;
                ALTER TABLE verifications DROP CONSTRAINT verifications_outcome_check;
                ALTER TABLE verifications ADD CONSTRAINT verifications_outcome_check CHECK (outcome IN ('verified',
                    'rejected', 'information_requested', 'queued', 'rejection_proposed'));

                -- The document checklist: a requirement applies when its PPKS kind, need and child
                -- columns match (NULL matches anything); any one of its documents satisfies it.
                CREATE TABLE document_requirements (
                    id serial PRIMARY KEY,
                    ppks_kind text,
                    need integer,
                    child boolean,
                    any_of integer[] NOT NULL,
                    description text NOT NULL
                );
                INSERT INTO document_requirements (ppks_kind, need, child, any_of, description) VALUES
                    (NULL, NULL, false, '{1,2}', 'foto KTP atau Kartu Keluarga orang yang dirujuk'),
                    (NULL, NULL, true, '{2}', 'foto Kartu Keluarga anak yang dirujuk'),
                    (NULL, 3, NULL, '{4}', 'surat keterangan dokter untuk perawatan kejiwaan'),
                    ('PPKS-09', 4, NULL, '{4}', 'surat keterangan dokter untuk alat bantu');
                """
        ),
        PostgresMigration(
            version: 6, name: "registry NIK and KK as numbers",
            // Both are 16 digits without a leading zero (the first two are the province code). As
            // bigint their B-tree indexes build in less than half the time of text ones, which is
            // most of an import's time after COPY.
            sql: """
                DROP VIEW registry_current;
                ALTER TABLE registry_people_a ALTER COLUMN nik TYPE bigint USING nik::bigint,
                    ALTER COLUMN kk TYPE bigint USING kk::bigint;
                ALTER TABLE registry_people_b ALTER COLUMN nik TYPE bigint USING nik::bigint,
                    ALTER COLUMN kk TYPE bigint USING kk::bigint;
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM registry_snapshots WHERE active AND slot = 'b') THEN
                        CREATE VIEW registry_current AS SELECT * FROM registry_people_b;
                    ELSE
                        CREATE VIEW registry_current AS SELECT * FROM registry_people_a;
                    END IF;
                END $$;
                """
        ),
        PostgresMigration(
            version: 7, name: "personal data sealed at rest",
            sql: """
                -- Before release, subjects were stored in the clear; sealing them needs the keys,
                -- which SQL does not have, so a database that holds some must be emptied first.
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM subjects) THEN
                        RAISE EXCEPTION 'verification holds subjects stored in the clear (pre-release data): empty the schema first';
                    END IF;
                END $$;
                DROP INDEX subjects_open_by_nik;
                ALTER TABLE subjects DROP COLUMN nik, ADD COLUMN nik_index bytea NOT NULL;
                CREATE INDEX subjects_open_by_nik ON subjects (nik_index) WHERE state NOT IN ('rejected', 'withdrawn', 'completed');
                COMMENT ON COLUMN subjects.submitted IS 'layar.v1.ReferralSubmitted (protobuf), sealed (AES-GCM)';
                """
        ),
            PostgresMigration(
            version: 8, name: "registry minimised, NIK and KK as blind indexes",
            sql: """
                -- Verification needs of the registry only whether a person is in it, their family's
                -- size, welfare decile, programmes and domicile: names, birth data, relation and
                -- address are no longer kept, NIK and KK only as keyed blind indexes (HMAC-SHA256, its
                -- first 128 bits in a uuid: a compact, fixed-width key for the largest table).
                -- Snapshots loaded before held them in the clear: they are emptied, and the
                -- extract is imported again (checks meanwhile find no registry and say so).
                DROP VIEW registry_current;
                TRUNCATE registry_people_a, registry_people_b;
                UPDATE registry_snapshots SET active = false WHERE active;
                ALTER TABLE registry_people_a DROP COLUMN nik, DROP COLUMN kk, DROP COLUMN name, DROP COLUMN birth_place,
                    DROP COLUMN birth_date, DROP COLUMN sex, DROP COLUMN relation, DROP COLUMN address,
                    ADD COLUMN nik_index uuid NOT NULL, ADD COLUMN kk_index uuid NOT NULL;
                ALTER TABLE registry_people_b DROP COLUMN nik, DROP COLUMN kk, DROP COLUMN name, DROP COLUMN birth_place,
                    DROP COLUMN birth_date, DROP COLUMN sex, DROP COLUMN relation, DROP COLUMN address,
                    ADD COLUMN nik_index uuid NOT NULL, ADD COLUMN kk_index uuid NOT NULL;
                CREATE VIEW registry_current AS SELECT * FROM registry_people_a;
                """
        ),
        PostgresMigration(
            version: 9, name: "applicants' replies",
            sql: """
                -- What applicants answered to a request for information by SMS or WhatsApp
                -- (notification's ApplicantReplied), sealed, shown in the verifier's case.
                CREATE TABLE applicant_replies (
                    referral_id uuid NOT NULL,
                    event_id text NOT NULL,
                    text bytea NOT NULL,
                    channel integer NOT NULL,
                    received_at timestamptz NOT NULL,
                    PRIMARY KEY (referral_id, event_id)
                );
                COMMENT ON COLUMN applicant_replies.text IS 'Sealed (AES-GCM)';
                """
        ),
    ]
}
