import LayarPostgres
import LayarRuntime

/// Assignment's schema: case workers and institutions (seeded), cases with their ledger, offers and
/// deadlines, and the person details offers may carry.
enum AssignmentMigrations {
    static let all = [
        RuntimeMigrations.changeNotifier,
        RuntimeMigrations.outboxAndInbox,
        RuntimeMigrations.outboxTraceContext,
        RuntimeMigrations.auditLog,
        RuntimeMigrations.dataKeys,
        RuntimeMigrations.outboxParkedTopics,
        RuntimeMigrations.outboxChangeNotifications,
        PostgresMigration(
            version: 2, name: "case workers and cases",
            sql: """
                CREATE TABLE case_workers (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    role text NOT NULL CHECK (role IN ('pekerja_sosial', 'tksk')),
                    kecamatan_codes text[] NOT NULL,
                    capacity integer NOT NULL CHECK (capacity >= 0),
                    active boolean NOT NULL DEFAULT true
                );
                CREATE TABLE cases (
                    id uuid PRIMARY KEY,
                    referral_id uuid NOT NULL UNIQUE,
                    status text NOT NULL CHECK (status IN ('unassigned', 'assigned', 'completed')),
                    case_worker_id text REFERENCES case_workers (id),
                    kecamatan_code text NOT NULL,
                    ppks_kind text NOT NULL,
                    priority integer NOT NULL,
                    outcome text NOT NULL DEFAULT '',
                    opened_at timestamptz NOT NULL,
                    assigned_at timestamptz,
                    completed_at timestamptz
                );
                CREATE INDEX cases_open_by_worker ON cases (case_worker_id) WHERE status = 'assigned';
                CREATE INDEX cases_unassigned ON cases (priority DESC, opened_at) WHERE status = 'unassigned';
                """
        ),
        PostgresMigration(
            version: 3, name: "seed case workers",
            // Fictional people: one TKSK per kecamatan of Balangan and two social workers who
            // cover several kecamatan each. Issue-driven registries replace these through gRPC.
            sql: """
                INSERT INTO case_workers (id, name, role, kecamatan_codes, capacity) VALUES
                    ('TKSK-JUAI', 'Siti Rahmah', 'tksk', '{63.11.01}', 15),
                    ('TKSK-HALONG', 'Muhammad Ridwan', 'tksk', '{63.11.02}', 15),
                    ('TKSK-AWAYAN', 'Nurul Hidayah', 'tksk', '{63.11.03}', 15),
                    ('TKSK-BATUMANDI', 'Ahmad Fauzan', 'tksk', '{63.11.04}', 15),
                    ('TKSK-LAMPIHONG', 'Rina Yuliani', 'tksk', '{63.11.05}', 15),
                    ('TKSK-PARINGIN', 'Hendra Saputra', 'tksk', '{63.11.06}', 15),
                    ('TKSK-PARINGINSELATAN', 'Dewi Lestari', 'tksk', '{63.11.07}', 15),
                    ('TKSK-TEBINGTINGGI', 'Fajar Maulana', 'tksk', '{63.11.08}', 15),
                    ('PS-01', 'Lina Marlina, S.Tr.Sos.', 'pekerja_sosial', '{63.11.01,63.11.02,63.11.03,63.11.08}', 25),
                    ('PS-02', 'Yusuf Hamdani, S.Tr.Sos.', 'pekerja_sosial', '{63.11.04,63.11.05,63.11.06,63.11.07}', 25);
                """
        ),
        PostgresMigration(
            version: 4, name: "withdrawn referrals",
            sql: """
                ALTER TABLE cases DROP CONSTRAINT cases_status_check;
                ALTER TABLE cases ADD CONSTRAINT cases_status_check
                    CHECK (status IN ('unassigned', 'assigned', 'completed', 'withdrawn'));
                -- Withdrawals can overtake the verification that would open the case (other topic).
                CREATE TABLE withdrawn_referrals (
                    referral_id uuid PRIMARY KEY,
                    withdrawn_at timestamptz NOT NULL
                );
                """
        ),
        PostgresMigration(
            version: 5, name: "case workflow, ledger, offers, deadlines",
            sql: """
                ALTER TABLE cases DROP CONSTRAINT cases_status_check;
                ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN (
                    'unassigned', 'assigned', 'assessed', 'offered', 'accepted', 'admitted', 'in_service',
                    'outcome_recorded', 'completed', 'closed', 'withdrawn'));
                ALTER TABLE cases
                    ADD COLUMN urgency integer NOT NULL DEFAULT 0,
                    ADD COLUMN route text CHECK (route IN ('serve_locally', 'refer')),
                    ADD COLUMN service integer NOT NULL DEFAULT 0,
                    ADD COLUMN assessment_needs text NOT NULL DEFAULT '',
                    ADD COLUMN assessment_plan text NOT NULL DEFAULT '',
                    ADD COLUMN assessed_at timestamptz,
                    ADD COLUMN service_outcome integer NOT NULL DEFAULT 0,
                    ADD COLUMN assign_due_at timestamptz,
                    ADD COLUMN assess_due_at timestamptz,
                    ADD COLUMN assign_escalated_at timestamptz,
                    ADD COLUMN assess_escalated_at timestamptz;
                DROP INDEX cases_open_by_worker;
                CREATE INDEX cases_open_by_worker ON cases (case_worker_id)
                    WHERE status NOT IN ('unassigned', 'completed', 'closed', 'withdrawn');
                CREATE INDEX cases_assignment_due ON cases (assign_due_at)
                    WHERE status = 'unassigned' AND assign_escalated_at IS NULL;
                CREATE INDEX cases_assessment_due ON cases (assess_due_at)
                    WHERE status = 'assigned' AND assess_escalated_at IS NULL;

                -- What offers may need about the person, from ReferralSubmitted (never the name).
                CREATE TABLE referral_people (
                    referral_id uuid PRIMARY KEY,
                    nik text NOT NULL,
                    sex integer NOT NULL,
                    birth_date date NOT NULL,
                    desa_code text NOT NULL,
                    is_child boolean NOT NULL,
                    needs integer[] NOT NULL
                );

                CREATE TABLE institutions (
                    code text PRIMARY KEY,
                    name text NOT NULL,
                    kind integer NOT NULL,
                    operator text NOT NULL DEFAULT '',
                    location text NOT NULL DEFAULT '',
                    ppks_kinds text[] NOT NULL,
                    services integer[] NOT NULL,
                    eligibility_notes text NOT NULL DEFAULT '',
                    required_documents integer[] NOT NULL DEFAULT '{}',
                    capacity_total integer NOT NULL DEFAULT 0 CHECK (capacity_total >= 0),
                    capacity_available integer NOT NULL DEFAULT 0
                        CHECK (capacity_available BETWEEN 0 AND capacity_total),
                    capacity_updated_at timestamptz,
                    service_area text[] NOT NULL DEFAULT '{}',
                    contact text NOT NULL DEFAULT '',
                    topic_prefix text NOT NULL UNIQUE,
                    requires_identification boolean NOT NULL,
                    active boolean NOT NULL DEFAULT true,
                    partner_key_hash bytea UNIQUE
                );

                CREATE TABLE offers (
                    id uuid PRIMARY KEY,
                    case_id uuid NOT NULL REFERENCES cases (id),
                    institution_code text NOT NULL REFERENCES institutions (code),
                    letter_number text NOT NULL,
                    status text NOT NULL CHECK (status IN (
                        'pending', 'accepted', 'declined', 'expired', 'revoked', 'admitted', 'outcome_recorded')),
                    decline_reason integer NOT NULL DEFAULT 0,
                    note text NOT NULL DEFAULT '',
                    outcome integer NOT NULL DEFAULT 0,
                    sent_at timestamptz NOT NULL,
                    answer_due_at timestamptz NOT NULL,
                    answered_at timestamptz,
                    admitted_on date
                );
                -- At most one live offer per case.
                CREATE UNIQUE INDEX offers_one_live ON offers (case_id)
                    WHERE status IN ('pending', 'accepted', 'admitted');
                CREATE INDEX offers_by_institution ON offers (institution_code, sent_at DESC);
                CREATE INDEX offers_answer_due ON offers (answer_due_at) WHERE status = 'pending';

                -- The ledger: append-only, one row per transition.
                CREATE TABLE case_transitions (
                    id bigserial PRIMARY KEY,
                    case_id uuid NOT NULL REFERENCES cases (id),
                    type integer NOT NULL,
                    from_status text,
                    to_status text NOT NULL,
                    from_party text NOT NULL DEFAULT '',
                    to_party text NOT NULL DEFAULT '',
                    reason text NOT NULL DEFAULT '',
                    actor text NOT NULL,
                    at timestamptz NOT NULL
                );
                CREATE INDEX case_transitions_by_case ON case_transitions (case_id, id);
                """
        ),
        PostgresMigration(
            version: 6, name: "seed institutions",
            // The real referral destinations of Dinas Sosial Balangan, from the project's reference
            // list (referral-destinations.csv): codes, names, kinds, operators, locations, PPKS kinds
            // served and notes. Places are left unreported (null update time) until an institution
            // reports them; the only figure known is PPRSLU Budi Sejahtera's (about 110 + 70).
            // Services and documents: kind 1 residential, 2 community, 3 psychiatric, 4 assistive
            // device, 5 family support, 6 legal protection, 8 NAPZA (layar.v1.Need); documents 1 KTP,
            // 2 KK, 4 medical letter (layar.v1.DocumentKind). Institution kinds as layar.v1.InstitutionKind.
            sql: """
                INSERT INTO institutions (code, name, kind, operator, location, ppks_kinds, services,
                    eligibility_notes, required_documents, capacity_total, topic_prefix, requires_identification)
                VALUES
                    ('SENTRA-BUDI-LUHUR', 'Sentra Budi Luhur Banjarbaru', 1, 'Kementerian Sosial', 'Banjarbaru',
                     '{PPKS-09,PPKS-05,PPKS-17,PPKS-16}', '{1,2,4}',
                     'ATENSI for disability (assistive devices and therapy); needs assessment plus a recommendation from the regency',
                     '{1,2}', 0, 'layar.partner.sentra-budi-luhur', true),
                    ('RSJ-SAMBANG-LIHUM', 'RSJ Sambang Lihum', 3, 'Pemerintah Provinsi Kalimantan Selatan',
                     'Gambut, Kab. Banjar', '{PPKS-09,PPKS-17}', '{3,8}',
                     'Psychiatric care for people with mental disorders (ODGJ) and NAPZA rehabilitation (IPWL); Dinsos Balangan recommends after family consent',
                     '{1,2,4}', 0, 'layar.partner.rsj-sambang-lihum', true),
                    ('BNNK-BALANGAN', 'Klinik Pratama BNN Kabupaten Balangan', 4, 'Badan Narkotika Nasional', 'Paringin',
                     '{PPKS-17}', '{8}',
                     'Outpatient NAPZA rehabilitation; inpatient cases go on to the BNN rehabilitation centre in Tanah Merah (Samarinda)',
                     '{1}', 0, 'layar.partner.bnnk-balangan', true),
                    ('PPRSLU-BUDI-SEJAHTERA', 'UPTD PPRSLU Budi Sejahtera', 2, 'Dinas Sosial Provinsi Kalimantan Selatan',
                     'Landasan Ulin (Banjarbaru) and Martapura', '{PPKS-08}', '{1}',
                     'Residential care for neglected elderly (capacity about 110 + 70)', '{1,2}', 180,
                     'layar.partner.pprslu-budi-sejahtera', false),
                    ('PRS-FAJAR-HARAPAN',
                     'UPTD Panti Rehabilitasi Sosial Penyandang Disabilitas Netra dan Fisik Fajar Harapan', 2,
                     'Dinas Sosial Provinsi Kalimantan Selatan', 'Kalimantan Selatan', '{PPKS-09,PPKS-05}', '{1,4}',
                     'Visual and physical disability', '{1,2}', 0, 'layar.partner.prs-fajar-harapan', false),
                    ('PRSPD-ISKAYA-BANARAN', 'UPTD PRSPD Iskaya Banaran', 2, 'Dinas Sosial Provinsi Kalimantan Selatan',
                     'Kalimantan Selatan', '{PPKS-09,PPKS-05}', '{1,4}', 'Hearing/speech and intellectual disability',
                     '{1,2}', 0, 'layar.partner.prspd-iskaya-banaran', false),
                    ('PPRSAR-MULIA-SATRIA',
                     'UPTD Panti Perlindungan dan Rehabilitasi Sosial Anak dan Remaja Mulia Satria', 2,
                     'Dinas Sosial Provinsi Kalimantan Selatan', 'Kalimantan Selatan',
                     '{PPKS-01,PPKS-02,PPKS-03,PPKS-04,PPKS-06,PPKS-07}', '{1,5,6}', 'Children and adolescents',
                     '{1,2}', 0, 'layar.partner.pprsar-mulia-satria', false);
                """
        ),
        PostgresMigration(
            version: 7, name: "case worker load as a counter",
            // Kept in step with every assignment and every case that ends, under the worker's row
            // lock: choosing the least-loaded worker reads one row per worker instead of counting
            // every worker's cases.
            sql: """
                ALTER TABLE case_workers ADD COLUMN open_cases integer NOT NULL DEFAULT 0 CHECK (open_cases >= 0);
                UPDATE case_workers w SET open_cases = (
                    SELECT count(*) FROM cases c
                    WHERE c.case_worker_id = w.id AND c.status NOT IN ('unassigned', 'completed', 'closed', 'withdrawn'));
                """
        ),
        PostgresMigration(
            version: 8, name: "personal data sealed at rest",
            sql: """
                -- Before release, NIKs and assessments were stored in the clear; sealing them needs
                -- the keys, which SQL does not have, so a database that holds some must be emptied first.
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM referral_people) OR EXISTS (SELECT 1 FROM cases WHERE assessed_at IS NOT NULL) THEN
                        RAISE EXCEPTION 'assignment holds NIKs or assessments stored in the clear (pre-release data): empty the schema first';
                    END IF;
                END $$;
                ALTER TABLE referral_people ALTER COLUMN nik TYPE bytea USING convert_to(nik, 'UTF8');
                COMMENT ON COLUMN referral_people.nik IS 'Sealed (AES-GCM)';
                ALTER TABLE cases DROP COLUMN assessment_needs, DROP COLUMN assessment_plan,
                    ADD COLUMN assessment_needs bytea, ADD COLUMN assessment_plan bytea;
                COMMENT ON COLUMN cases.assessment_needs IS 'Sealed (AES-GCM); NULL until assessed';
                COMMENT ON COLUMN cases.assessment_plan IS 'Sealed (AES-GCM); NULL until assessed';
                """
        ),
        PostgresMigration(
            version: 9, name: "people without a NIK or papers",
            sql: """
                -- No birth date, an estimated age instead (ReferralSubmitted.identity_unknown).
                ALTER TABLE referral_people ALTER COLUMN birth_date DROP NOT NULL, ADD COLUMN estimated_age integer;
                """
        ),
    ]
}
