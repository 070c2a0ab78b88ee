import Foundation

/// A query parameter as it goes to libpq: text (the server infers the type from the statement)
/// or binary with an explicit type (used for `bytea`, which then needs no escaping).
public enum PostgresBinding: Sendable, Equatable {
    case null
    case text(String)
    case binary([UInt8], oid: UInt32)
}

/// A Swift value that can be a query parameter. Parameters always travel separately from the
/// SQL text (statements are prepared, then executed with `PQexecPrepared`), so no value can
/// change what a statement does.
public protocol PostgresEncodable: Sendable {
    var postgresBinding: PostgresBinding { get }
}

/// A Swift value that can be read from a column in PostgreSQL's text result format.
public protocol PostgresDecodable: Sendable {
    init(postgresText text: String) throws
}

extension PostgresDecodable {
    static func decodingError(_ text: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "cannot read \(Self.self) from '\(text.prefix(40))'")
    }
}

/// Numbers and text travel as their Swift description and are read back with `init?(_:)`.
extension PostgresEncodable where Self: LosslessStringConvertible {
    public var postgresBinding: PostgresBinding { .text(description) }
}

extension PostgresDecodable where Self: LosslessStringConvertible {
    public init(postgresText text: String) throws {
        guard let value = Self(text) else { throw Self.decodingError(text) }
        self = value
    }
}

extension String: PostgresEncodable, PostgresDecodable {}
extension Int: PostgresEncodable, PostgresDecodable {}
extension Int32: PostgresEncodable, PostgresDecodable {}
extension Int64: PostgresEncodable, PostgresDecodable {}
extension Double: PostgresEncodable, PostgresDecodable {}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresBinding: PostgresBinding { .text(self ? "t" : "f") }
    public init(postgresText text: String) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw Self.decodingError(text)
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresBinding: PostgresBinding { .text(uuidString.lowercased()) }
    public init(postgresText text: String) throws {
        guard let value = UUID(uuidString: text) else { throw Self.decodingError(text) }
        self = value
    }
}

/// `bytea`: sent in binary, read from the text format's hex form (`\x0a1b...`).
extension Array: PostgresEncodable, PostgresDecodable where Element == UInt8 {
    public var postgresBinding: PostgresBinding { .binary(self, oid: 17) }
    public init(postgresText text: String) throws {
        let hex = text.utf8.dropFirst(2)
        guard text.hasPrefix("\\x"), hex.count % 2 == 0 else { throw Self.decodingError(text) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for character in hex {
            guard let nibble = Self.nibble(character) else { throw Self.decodingError(text) }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self = bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A PostgreSQL array literal of text values (`text[]`), e.g. for `= ANY($1)`.
public struct PostgresTextArray: PostgresEncodable, PostgresDecodable, Equatable {
    public var elements: [String]

    public init(_ elements: [String]) { self.elements = elements }

    public var postgresBinding: PostgresBinding {
        let quoted = elements.map { element in
            "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return .text("{" + quoted.joined(separator: ",") + "}")
    }

    /// Reads the text output of a one-dimensional array (quoted or bare elements, no NULLs).
    public init(postgresText text: String) throws {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw Self.decodingError(text) }
        var elements: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var sawElement = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                sawElement = true
            } else if character == "," && !quoted {
                elements.append(current)
                current = ""
                sawElement = false
            } else {
                current.append(character)
                sawElement = true
            }
        }
        if sawElement || !elements.isEmpty { elements.append(current) }
        self.elements = elements
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Sent as an ISO 8601 instant in UTC with microseconds, PostgreSQL's own precision.
    public var postgresBinding: PostgresBinding { .text(PostgresTimestamp.format(self)) }

    public init(postgresText text: String) throws {
        guard let date = PostgresTimestamp.parse(text) else { throw Self.decodingError(text) }
        self = date
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBinding: PostgresBinding { self?.postgresBinding ?? .null }
}
