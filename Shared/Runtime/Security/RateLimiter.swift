import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import Synchronization

/// Fixed-window counters in the service's PostgreSQL schema (the portal's, intake's), shared by every replica: one
/// statement per hit (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so replicas never
/// undercount and a restart forgets nothing. Old windows are pruned now and then by whichever
/// replica counts.
public final class RateLimiter: Sendable {
    /// A limited thing: `limit` hits per `window` for each key.
    public struct Rule: Sendable {
        public var name: String
        public var limit: Int
        public var window: Duration

        public init(name: String, limit: Int, window: Duration) {
            self.name = name
            self.limit = limit
            self.window = window
        }
    }

    /// The table the counters live in, in the schema of the service that limits.
    public static let migration = PostgresMigration(
        version: 1005, name: "rate limits shared by replicas",
        sql: """
            CREATE TABLE rate_limit_windows (
                bucket text NOT NULL,
                window_start timestamptz NOT NULL,
                hits integer NOT NULL,
                PRIMARY KEY (bucket, window_start)
            );
            CREATE INDEX rate_limit_windows_age ON rate_limit_windows (window_start);
            """
    )

    public let pool: PostgresPool
    public let clock: LayarClock
    private let hitsSincePrune = Mutex(0)

    public init(pool: PostgresPool, clock: LayarClock) {
        self.pool = pool
        self.clock = clock
    }

    /// Counts a hit of `key` under `rule`; false when it is over the limit.
    public func admit(_ key: String, _ rule: Rule) async throws -> Bool {
        let now = clock.now
        let seconds = rule.window.inSeconds
        let windowStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
        let hits = try await pool.query(
            """
            INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 1)
            ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
            RETURNING hits
            """,
            ["\(rule.name):\(key)", windowStart]
        ).first?.decode(Int.self, "hits") ?? 1
        try await pruneNowAndThen(before: now.addingTimeInterval(-2 * max(seconds, 3600)))
        return hits <= rule.limit
    }

    private func pruneNowAndThen(before cutoff: Date) async throws {
        let due = hitsSincePrune.withLock { count in
            count += 1
            if count >= 1_000 { count = 0; return true }
            return false
        }
        if due { try await pool.query("DELETE FROM rate_limit_windows WHERE window_start < $1", [cutoff]) }
    }
}
