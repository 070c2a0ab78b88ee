import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import Logging
import ServiceLifecycle

/// Samples what has no event of its own every few seconds: the database pool's use and the
/// outbox's backlog with the age of its oldest unpublished event.
public struct ResourceSampler: Service {
    let pool: PostgresPool
    let clock: LayarClock
    let logger: Logger
    var interval: Duration = .seconds(5)

    public init(pool: PostgresPool, clock: LayarClock, logger: Logger) {
        self.pool = pool
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        try await RecurringJob("resource sampling", .every(interval), logger: logger) {
            await sample()
            return false
        }.run()
    }

    func sample() async {
        LayarMetrics.databasePool(pool.statistics)
        do {
            let row = try await pool.query(
                """
                SELECT count(*) AS backlog, coalesce(extract(epoch FROM $1 - min(occurred_at)), 0)::float8 AS oldest
                FROM outbox WHERE published_at IS NULL
                """, [clock.now]
            ).first
            LayarMetrics.outbox(backlog: try row?.decode(Int.self, "backlog") ?? 0, oldestAgeSeconds: try row?.decode(Double.self, "oldest") ?? 0)
        } catch {
            logger.debug("outbox sample failed: \(error)")
        }
    }
}
