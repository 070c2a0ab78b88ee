import Foundation
import LayarDomain
import LayarPostgres

/// The one outbound delivery queue: what a service delivers outside LAYAR (notification's messages
/// to their gateways, survey's complaints to SP4N-LAPOR!) waits here, one row per delivery in the
/// service's own schema (``tableSQL``). The queue holds only when, how often and why not yet; the
/// thing delivered stays in its owner's table under the same id, and the owner enqueues, retries
/// and finishes it in the transactions of its own changes.
///
/// A claim is a lease: a claimed row is not claimed again before `claimed_until`, so a sender that
/// crashed between claiming and recording is tried again when its lease ends, and sending happens
/// outside any transaction. New and rescheduled rows notify (`notify_change()`): the draining loop
/// waits for them (``TableWakeups``) or for ``nextDue(after:on:)``, never polls.
public struct DeliveryQueue<Entity: IdentifiedEntity>: Sendable {
    public typealias ID = EntityID<Entity>

    /// A claimed delivery: its id, the attempts made with this one, its batch.
    public struct Claim: Sendable, Equatable {
        public var id: ID
        public var attempts: Int
        public var lastError: String
        public var batchKey: String
    }

    public init() {}

    /// Delivers `id` from `time` on. Queued again, it starts afresh: no claim, no attempts made.
    /// `batchKey` groups deliveries that may go together (``claimBatch``); `priority` orders the due ones.
    public func enqueue(
        _ id: ID, at time: Date, batchKey: String = "", priority: Int = 0, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO deliveries (id, batch_key, priority, next_attempt_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at, batch_key = excluded.batch_key,
                priority = excluded.priority, claimed_until = NULL, attempts = 0, last_error = ''
            """,
            [id, batchKey, priority, time]
        )
    }

    /// How long until the next delivery falls due (a retry, or the end of a lease); nil when none waits.
    public func nextDue(after now: Date, on pool: PostgresPool) async throws -> Duration? {
        let row = try await pool.query(
            "SELECT min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at))) AS due FROM deliveries"
        ).first
        return try row?.decode(Date?.self, "due").map { .until($0, from: now) }
    }

    /// Claims up to `limit` due deliveries for `lease`, higher priority first, then the longest due.
    public func claim(limit: Int, now: Date, lease: Duration, on connection: PostgresConnection) async throws -> [Claim] {
        try await connection.query(
            """
            UPDATE deliveries SET claimed_until = $2, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM deliveries WHERE next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                ORDER BY priority DESC, next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
            )
            RETURNING id, attempts, last_error, batch_key
            """,
            [now, now.addingTimeInterval(lease.inSeconds), limit]
        ).map(Self.claim)
    }

    /// Claims the deliveries of `batchKey` due by `dueBy` and not already in `claimed`: what may go
    /// with a claimed one (notification joins a referral's pending SMS into one).
    public func claimBatch(
        _ batchKey: String, dueBy: Date, besides claimed: [ID], now: Date, lease: Duration, on connection: PostgresConnection
    ) async throws -> [Claim] {
        try await connection.query(
            """
            UPDATE deliveries SET claimed_until = $4, attempts = attempts + 1
            WHERE batch_key = $1 AND id <> ALL ($2::uuid[]) AND next_attempt_at <= $3
                AND (claimed_until IS NULL OR claimed_until < $5)
            RETURNING id, attempts, last_error, batch_key
            """,
            [batchKey, PostgresTextArray(claimed.map(\.description)), dueBy, now.addingTimeInterval(lease.inSeconds), now]
        ).map(Self.claim)
    }

    /// A retriable failure: tried again at `time`, the lease released.
    public func retry(_ id: ID, error: String, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE deliveries SET claimed_until = NULL, last_error = $2, next_attempt_at = $3 WHERE id = $1", [id, error, time]
        )
    }

    /// Delivered, given up, or no longer wanted: out of the queue.
    public func finish(_ ids: [ID], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("DELETE FROM deliveries WHERE id = ANY ($1::uuid[])", [PostgresTextArray(ids.map(\.description))])
    }

    private static func claim(_ row: PostgresRow) throws -> Claim {
        Claim(
            id: try row.decode(ID.self, "id"), attempts: try row.decode(Int.self, "attempts"),
            lastError: try row.decode(String.self, "last_error"), batchKey: try row.decode(String.self, "batch_key")
        )
    }
}

/// The queue's table, created by a service's own migration at its place in that service's
/// sequence (``tableSQL``), so that the service's next migration can move its rows in.
public enum DeliveryQueueTable {
    /// The table a draining loop waits on (``TableWakeups``).
    public static let name = "deliveries"

    public static let tableSQL: StaticString = """
        CREATE TABLE deliveries (
            id uuid PRIMARY KEY,
            -- Deliveries that may go together (notification: one referral's SMS); '' for none.
            batch_key text NOT NULL DEFAULT '',
            -- Higher first among the due ones (urgent messages).
            priority integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            -- The lease of a claim: not claimed again before it ends.
            claimed_until timestamptz,
            attempts integer NOT NULL DEFAULT 0,
            last_error text NOT NULL DEFAULT ''
        );
        CREATE INDEX deliveries_due ON deliveries (next_attempt_at);
        CREATE INDEX deliveries_batch ON deliveries (batch_key) WHERE batch_key <> '';
        -- New and rescheduled deliveries wake the draining loop. Not on the claim's columns
        -- (claimed_until, attempts): a statement trigger fires even when it changes no row, and
        -- the loop's own claims would wake it round after round.
        CREATE TRIGGER deliveries_notify AFTER INSERT OR UPDATE OF next_attempt_at ON deliveries
            FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
        """
}
