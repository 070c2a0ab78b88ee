/// The rows a statement returned, copied out of libpq's result in text format.
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [String]
    private let cells: [[String?]]
    /// Rows touched by an INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 for other statements.
    public let affectedRows: Int

    init(columns: [String], cells: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { cells.startIndex }
    public var endIndex: Int { cells.endIndex }
    public subscript(position: Int) -> PostgresRow { PostgresRow(columns: columns, cells: cells[position]) }
}

/// One row with typed access by column name or position.
///
/// ```swift
/// let name = try row.decode(String.self, "full_name")
/// let phone = try row.decode(String?.self, "phone")
/// ```
public struct PostgresRow: Sendable {
    public let columns: [String]
    let cells: [String?]

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: String) throws -> T {
        guard let text = try cell(column) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(T.self)")
        }
        return try T(postgresText: text)
    }

    public func decode<T: PostgresDecodable>(_ type: T?.Type, _ column: String) throws -> T? {
        try cell(column).map { try T(postgresText: $0) }
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard cells.indices.contains(index), let text = cells[index] else {
            throw PostgresError(kind: .decoding, message: "column #\(index) is missing or NULL, expected \(T.self)")
        }
        return try T(postgresText: text)
    }

    /// The text of a named column, `nil` for SQL NULL; throws when there is no such column.
    private func cell(_ column: String) throws -> String? {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(kind: .decoding, message: "no column \(column) in \(columns)")
        }
        return cells[index]
    }
}
