import LayarPostgres

/// Tables every service owns in its own schema for reliable messaging. Services list this
/// migration first (version 1) and number their own from 2.
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
}
