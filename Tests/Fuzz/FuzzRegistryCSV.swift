import Foundation
import LayarDomain

// libFuzzer target: one line of a registry extract. Splitting and validating never trap, and a
// row accepted for COPY reads back as exactly what verification keeps: the registry id, the two
// indexes (16 bytes each) and the kept columns as they were checked, in PostgreSQL's binary
// tuple layout (a field count, then each field as a length and its bytes, -1 for NULL).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = Array(UnsafeBufferPointer(start: data, count: size))
    guard !line.contains(UInt8(ascii: "\n")) else { return 0 }
    CSVLine.withFields(line) { fields in
        guard let fields, RegistryRowValidator.problem(fields) == nil else { return }
        // A stand-in index (the service's is HMAC-SHA256-128): 16 bytes that depend on the value.
        func bytes(_ value: UnsafeBufferPointer<UInt8>) -> [UInt8] {
            (0..<16).map { position in value.reduce(UInt8(position)) { $0 &* 31 &+ $1 } }
        }
        func index(_ value: UnsafeBufferPointer<UInt8>) -> UUID {
            let b = bytes(value)
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        var output: [UInt8] = []
        RegistryRowValidator.appendCopyTuple(fields, nik: index(fields[1]), kk: index(fields[2]), to: &output)
        var tuple = BinaryTupleReader(bytes: output)
        precondition(tuple.int16() == 9, "nine columns go to COPY")
        let stored = (0..<9).map { _ in tuple.field() }
        precondition(tuple.isAtEnd, "the tuple has bytes after its last field")
        precondition(stored[0] == Array(fields[0]), "the registry id changed")
        precondition(String(validating: stored[0] ?? [], as: UTF8.self) != nil && stored[0]?.contains(0) == false, "PostgreSQL would refuse the registry id as text")
        precondition(stored[1] == bytes(fields[1]) && stored[2] == bytes(fields[2]), "an index is not the value's")
        precondition(stored[3] == Array(fields[8]) && stored[4] == Array(fields[9]), "a region code changed")
        let decile = fields[11].isEmpty ? nil : Int(String(decoding: fields[11], as: UTF8.self))
        precondition(stored[5] == decile.map { [UInt8(0), UInt8($0)] }, "the decile changed")
        for (column, source) in zip(6..., 12..<15) {
            precondition(stored[column] == [fields[source][0] - UInt8(ascii: "0")], "flag \(source) changed")
        }
    }
    return 0
}

/// Reads PostgreSQL's binary COPY tuple fields back (big-endian lengths, -1 for NULL).
struct BinaryTupleReader {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func int16() -> Int {
        defer { position += 2 }
        return Int(Int16(bitPattern: UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])))
    }

    mutating func field() -> [UInt8]? {
        let length = (0..<4).reduce(0) { $0 << 8 | Int(bytes[position + $1]) }
        position += 4
        guard length != 0xFFFF_FFFF else { return nil }
        defer { position += length }
        return Array(bytes[position..<(position + length)])
    }
}
