import LayarPostgres
import LayarRuntime

/// Assignment's schema: case workers (seeded) and cases.
enum AssignmentMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
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
    ]
}
