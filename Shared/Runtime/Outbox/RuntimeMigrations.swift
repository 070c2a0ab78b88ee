import LayarPostgres

/// Tables every service owns in its own schema for reliable messaging. Services list these
/// migrations first (versions 0 and 1, then 1000 and up) and number their own from 2.
public enum RuntimeMigrations {
    public static let outboxAndInbox = PostgresMigration(
        version: 1, name: "outbox and inbox",
        sql: """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                event_id uuid NOT NULL UNIQUE,
                topic text NOT NULL,
                record_key text NOT NULL,
                event_type text NOT NULL,
                payload bytea NOT NULL,
                occurred_at timestamptz NOT NULL,
                published_at timestamptz
            );
            CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
            CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

            CREATE TABLE inbox (
                consumer text NOT NULL,
                event_id text NOT NULL,
                event_type text NOT NULL,
                topic text NOT NULL,
                kafka_partition integer NOT NULL,
                kafka_offset bigint NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, event_id)
            );
            """
    )

    /// The W3C `traceparent` of the work that wrote each event ("" when none). Numbered 1000 so
    /// it never collides with a service's own migrations; every service lists it after version 1.
    public static let outboxTraceContext = PostgresMigration(
        version: 1000, name: "outbox trace context",
        sql: """
            ALTER TABLE outbox ADD COLUMN traceparent text NOT NULL DEFAULT '';
            """
    )

    /// The audit trail (``AuditServerInterceptor``): append-only, refused any change or removal
    /// by a trigger. Provisioned databases hand the table to the role `<service>_audit` as soon
    /// as `audit_log_no_truncate` exists (an event trigger of deploy/postgres/init-roles.sh), so
    /// the service role keeps only INSERT and SELECT and cannot drop the log or its triggers:
    /// keep that trigger the last statement here.
    public static let auditLog = PostgresMigration(
        version: 1001, name: "audit log",
        sql: """
            CREATE TABLE audit_log (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                roles text[] NOT NULL,
                method text NOT NULL,
                subject text NOT NULL,
                peer text NOT NULL,
                outcome text NOT NULL
            );
            CREATE INDEX audit_log_by_subject ON audit_log (subject, id) WHERE subject <> '';
            CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
            CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
            END $$;
            CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
            """
    )

    /// The service's data keys, wrapped under its master keys (see ``DataKeyStore``).
    public static let dataKeys = PostgresMigration(
        version: 1002, name: "data keys",
        sql: """
            CREATE TABLE data_keys (
                id text PRIMARY KEY,
                purpose text NOT NULL CHECK (purpose IN ('seal', 'index')),
                wrapped_by text NOT NULL,
                wrapped bytea NOT NULL,
                usable_from timestamptz NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE data_keys IS 'AES-256 keys sealing personal fields, each wrapped (AES-GCM) under the master key wrapped_by';
            """
    )

    /// Topics whose events the relay holds back because the topic refused them (see ``OutboxRelay``).
    public static let outboxParkedTopics = PostgresMigration(
        version: 1003, name: "outbox parked topics",
        sql: """
            CREATE TABLE outbox_parked_topics (
                topic text PRIMARY KEY,
                error_code integer NOT NULL,
                reason text NOT NULL,
                parked_at timestamptz NOT NULL,
                attempts integer NOT NULL,
                retry_at timestamptz NOT NULL
            );
            """
    )

    /// Wakes the service's loops instead of their polling (``TableWakeups``): the trigger function
    /// `notify_change()` sends a notification on channel `layar.<schema>.<table>` once per changing
    /// statement, delivered at commit (and folded into one per transaction by PostgreSQL).
    /// Numbered 0, before everything, so that a service's own migrations can put it on their
    /// queue tables; ``outboxChangeNotifications`` puts it on the outbox.
    public static let changeNotifier = PostgresMigration(
        version: 0, name: "change notifier",
        sql: """
            CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('layar.' || TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, '');
                RETURN NULL;
            END $$;
            """
    )

    /// The outbox notifies on insert: its relay publishes a committed event at once.
    public static let outboxChangeNotifications = PostgresMigration(
        version: 1006, name: "outbox change notifications",
        sql: """
            CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
            """
    )
}
