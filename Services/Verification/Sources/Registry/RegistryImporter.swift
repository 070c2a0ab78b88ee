import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import Logging

/// Loads a registry extract (DTKS/DTSEN CSV, its columns found by name: ``RegistryLayout``) as a
/// new snapshot that replaces the previous one atomically: rows are validated one by one and
/// streamed through COPY into the idle table; bad rows are reported with their line number and
/// reason (all of them in ``rejectedReport``); past ``allowedRejections(rows:)`` the import is
/// aborted and nothing changes. Then the idle table gets its indexes and becomes current in one
/// transaction with the snapshot's source and date. One import runs at a time (advisory lock).
/// Planner statistics are left to autovacuum: lookups go through the NIK and KK indexes anyway.
public struct RegistryImporter: Sendable {
    public struct Report: Sendable {
        public var snapshotID: Int64
        public var rows: Int
        public var rejected: Int
        /// The first rejected rows: (line number, reason).
        public var rejections: [(line: Int, reason: String)]
        public var seconds: Double
        /// The rejected rows may be at most this many.
        public var allowedRejections: Int
    }

    public struct TooManyRejected: Error, CustomStringConvertible {
        public var rejected: Int
        public var processed: Int
        public var rejections: [(line: Int, reason: String)]
        public var description: String {
            "import aborted: \(rejected) of \(processed) rows rejected; first: "
                + rejections.prefix(5).map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
        }
    }

    public struct BadHeader: Error, CustomStringConvertible {
        public var found: String
        public var problem: RegistryLayout.Problem
        public var description: String {
            "\(problem) (the columns: \(RegistryRowValidator.columns.joined(separator: ", ")), by these or their Indonesian names, "
                + "or a mapping file's); found \(found)"
        }
    }

    let pool: PostgresPool
    /// Makes the NIK and KK blind indexes the registry is searched by.
    let cipher: PersonalDataCipher
    /// Stamps the snapshot's import time (durations are measured on `ContinuousClock`).
    let clock: LayarClock
    let logger: Logger
    public var maximumRejectedRatio = 0.01
    public var chunkSize = 1 << 20
    /// Extra names of columns (a mapping file's, ``RegistryLayout/aliases(mapping:)``).
    public var aliases: [String: [String]] = [:]
    /// Where every rejected row goes as `line,reason` (CSV); nil: nowhere.
    public var rejectedReport: String?

    /// The rule: an extract of `rows` data rows may have at most `maximumRejectedRatio` of them
    /// rejected, rounded down (1 % of 250 rows: 2; of 99 rows: none). More, and nothing is loaded.
    public func allowedRejections(rows: Int) -> Int {
        Int((maximumRejectedRatio * Double(rows)).rounded(.down))
    }

    public init(pool: PostgresPool, cipher: PersonalDataCipher, clock: LayarClock, logger: Logger) {
        self.pool = pool
        self.cipher = cipher
        self.clock = clock
        self.logger = logger
    }

    /// Imports a CSV file, or an XLSX workbook's first sheet (read as CSV first).
    public func importFile(at path: String, source: String, snapshotDate: CivilDate) async throws -> Report {
        if XLSXWorkbook.isWorkbook(atPath: path) {
            let csv = try XLSXWorkbook.csv(atPath: path, aliases: aliases)
            var offset = 0
            return try await importLines(source: source, snapshotDate: snapshotDate) {
                guard offset < csv.count else { return nil }
                defer { offset = min(offset + (4 << 20), csv.count) }
                return Array(csv[offset..<min(offset + (4 << 20), csv.count)])
            }
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PostgresError(kind: .decoding, message: "cannot read \(path)")
        }
        defer { try? handle.close() }
        return try await importLines(source: source, snapshotDate: snapshotDate) {
            try handle.read(upToCount: 4 << 20).map(Array.init)
        }
    }

    /// Imports from `nextChunk`, which returns raw bytes of the file in order, nil at the end.
    public func importLines(
        source: String, snapshotDate: CivilDate, nextChunk: () throws -> [UInt8]?
    ) async throws -> Report {
        let started = ContinuousClock.now
        return try await pool.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(hashtext('layar.registry.import'))")
            do {
                let report = try await load(into: connection, source: source, snapshotDate: snapshotDate, nextChunk: nextChunk, started: started)
                try await connection.query("SELECT pg_advisory_unlock(hashtext('layar.registry.import'))")
                return report
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext('layar.registry.import'))")
                throw error
            }
        }
    }

    private func load(
        into connection: PostgresConnection, source: String, snapshotDate: CivilDate, nextChunk: () throws -> [UInt8]?,
        started: ContinuousClock.Instant
    ) async throws -> Report {
        let active = try await connection.query("SELECT slot FROM registry_snapshots WHERE active").first
        let slot = (try active.map { RegistrySlot(rawValue: try $0.decode(String.self, "slot")) ?? .a })?.other ?? .a
        // Truncating in the loading transaction lets COPY write frozen rows (no later rewrite for
        // hint bits), and an aborted load rolls the idle table back as it was.
        try await connection.query("BEGIN")
        try await connection.query(slot.truncate)
        try await connection.query(slot.dropIndexes)
        let copyStarted = ContinuousClock.now

        var counters = Counters()
        let loaded: Int
        do {
            loaded = try await copy(into: connection, slot: slot, nextChunk: nextChunk, counters: &counters)
            try await connection.query("COMMIT")
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
        let copySeconds = Self.seconds(since: copyStarted)
        let indexStarted = ContinuousClock.now
        // The two indexes are built side by side, each on a connection of its own.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for statement in slot.createIndexes.dropFirst() {
                group.addTask { try await pool.query(statement) }
            }
            try await connection.query(slot.createIndexes[0])
            try await group.waitForAll()
        }
        let indexSeconds = Self.seconds(since: indexStarted)
        try await connection.query("BEGIN")
        do {
            try await connection.query("UPDATE registry_snapshots SET active = false WHERE active")
            let id = try await connection.query(
                """
                INSERT INTO registry_snapshots (slot, source, snapshot_date, imported_at, row_count, rejected_count, active)
                VALUES ($1, $2, $3::date, $4, $5, $6, true) RETURNING id
                """, [slot.rawValue, source, snapshotDate.description, clock.now, loaded, counters.rejected]
            ).first!.decode(Int64.self, "id")
            try await connection.query(slot.activate)
            try await connection.query("COMMIT")
            let seconds = Self.seconds(since: started)
            logger.info(
                "registry snapshot \(id) from \(source) \(snapshotDate): \(loaded) rows, \(counters.rejected) rejected, \(seconds) s (copy \(copySeconds) s, indexes \(indexSeconds) s)"
            )
            return Report(
                snapshotID: id, rows: loaded, rejected: counters.rejected, rejections: counters.rejections, seconds: seconds,
                allowedRejections: allowedRejections(rows: counters.processed)
            )
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    struct Counters {
        var processed = 0
        var rejected = 0
        var rejections: [(line: Int, reason: String)] = []
    }

    /// Validates and streams every row; counts go to `counters`.
    private func copy(
        into connection: PostgresConnection, slot: RegistrySlot, nextChunk: () throws -> [UInt8]?, counters: inout Counters
    ) async throws -> Int {
        var stream = RegistryCopyStream(
            nikIndex: cipher.blindIndexer(.registryNIK), kkIndex: cipher.blindIndexer(.registryKK), outputCapacity: chunkSize + 4096,
            aliases: aliases
        )
        var report = try RejectedRowsReport(path: rejectedReport)
        defer {
            try? report.close()
            counters = Counters(processed: stream.processed, rejected: stream.rejected, rejections: stream.rejections)
        }
        return try await connection.copyIn(slot.copy) { writer in
            // Parsing the next chunk overlaps with sending the previous one: the server ingests
            // on one core while this process validates on another.
            var sending: Task<Void, any Error>?
            func send(_ bytes: [UInt8]) async throws {
                try await sending?.value
                sending = Task { try await writer.write(bytes) }
            }
            while let chunk = try nextChunk() {
                try stream.add(chunk)
                try report.write(stream.takeRejectedLines())
                if stream.output.count >= chunkSize { try await send(stream.takeOutput()) }
                // Stop early when a large part of what was read so far is bad.
                if stream.processed >= 10_000 && stream.rejected > allowedRejections(rows: stream.processed) {
                    throw TooManyRejected(rejected: stream.rejected, processed: stream.processed, rejections: stream.rejections)
                }
            }
            try stream.finish()
            try report.write(stream.takeRejectedLines())
            try await sending?.value
            if stream.rejected > allowedRejections(rows: stream.processed) {
                throw TooManyRejected(rejected: stream.rejected, processed: stream.processed, rejections: stream.rejections)
            }
            try await writer.write(stream.takeOutput())
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).inSeconds
    }
}
