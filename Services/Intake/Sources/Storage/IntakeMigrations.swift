import LayarPostgres
import LayarRuntime

/// Intake's schema: the referrals as submitted, with their status projected from downstream events.
enum IntakeMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
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
    ]
}
