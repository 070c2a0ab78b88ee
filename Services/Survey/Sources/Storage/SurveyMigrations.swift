import LayarPostgres
import LayarRuntime

/// Survey's schema: invitations to the satisfaction survey.
enum SurveyMigrations {
    static let all = [
        RuntimeMigrations.outboxAndInbox,
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
    ]
}
