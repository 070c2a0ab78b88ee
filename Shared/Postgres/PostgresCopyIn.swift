import CLibPQ
import Foundation

/// Bulk loading through PostgreSQL's COPY protocol (`PQputCopyData`): the fastest way to load
/// many rows, used for social-registry extracts.
extension PostgresConnection {
    /// Writes data of a running `COPY ... FROM STDIN`.
    public struct CopyInWriter: Sendable {
        let connection: PostgresConnection

        /// Sends one chunk of COPY text (whole rows, `\n`-terminated, tab-separated, escaped).
        public func write(_ bytes: [UInt8]) async throws {
            guard !bytes.isEmpty else { return }
            try await connection.onWorker { raw in
                let sent = bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(raw, $0.baseAddress, Int32($0.count)) }
                }
                guard sent == 1 else {
                    throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(raw)).trimmed)
                }
            }
        }
    }

    /// Runs `sql` (a `COPY ... FROM STDIN`), lets `body` stream the data, and returns the rows
    /// loaded. When `body` throws, the COPY is aborted (nothing loaded) and the error rethrown.
    public func copyIn(_ sql: StaticString, _ body: (CopyInWriter) async throws -> Void) async throws -> Int {
        let text = sql.description
        try await onWorker { raw in
            let result = PQexec(raw, text)
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COPY_IN else {
                throw PostgresError(
                    kind: .server, sqlState: PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) },
                    message: String(cString: PQerrorMessage(raw)).trimmed
                )
            }
        }
        do {
            try await body(CopyInWriter(connection: self))
        } catch {
            _ = try? await finishCopy(abortReason: "aborted by the client: \(error)")
            throw error
        }
        return try await finishCopy(abortReason: nil)
    }

    /// Ends the COPY (or aborts it with a reason) and reads its result.
    private func finishCopy(abortReason: String?) async throws -> Int {
        try await onWorker { raw in
            guard PQputCopyEnd(raw, abortReason) == 1 else {
                throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(raw)).trimmed)
            }
            var loaded = 0
            var failure: PostgresError?
            while let result = PQgetResult(raw) {
                defer { PQclear(result) }
                if PQresultStatus(result) == PGRES_COMMAND_OK {
                    loaded = Int(String(cString: PQcmdTuples(result))) ?? 0
                } else if failure == nil {
                    failure = PostgresError(
                        kind: .server, sqlState: PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) },
                        message: String(cString: PQresultErrorMessage(result)).trimmed
                    )
                }
            }
            if let failure { throw failure }
            return loaded
        }
    }
}
