import Foundation
import LayarDomain

// libFuzzer target: one line of a registry extract. Splitting and validating never trap, and a
// row accepted for COPY reads back as exactly what verification keeps: the registry id, the two
// indexes (uuid hex) and the kept columns as they were checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = Array(UnsafeBufferPointer(start: data, count: size))[...]
    guard !line.contains(UInt8(ascii: "\n")), let fields = CSVLine.fields(line) else { return 0 }
    guard RegistryRowValidator.problem(fields) == nil else { return 0 }
    // A stand-in index (the service's is HMAC-SHA256-128): 16 bytes that depend on the value.
    func bytes(_ value: ArraySlice<UInt8>) -> [UInt8] {
        (0..<16).map { position in value.reduce(UInt8(position)) { $0 &* 31 &+ $1 } }
    }
    func index(_ value: ArraySlice<UInt8>) -> UUID {
        let b = bytes(value)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
    var output: [UInt8] = []
    RegistryRowValidator.appendMinimisedCSV(fields, nik: index, kk: index, to: &output)
    precondition(output.last == UInt8(ascii: "\n"), "a COPY row ends with a newline")
    let copied = output.dropLast()
    precondition(CSVLine.isStandard(copied), "COPY would read the row differently")
    guard let reread = CSVLine.fields(copied) else { preconditionFailure("the COPY row does not parse") }
    precondition(reread.count == 9, "nine columns go to COPY")
    precondition(Array(reread[0]) == Array(fields[0]), "the registry id changed")
    for (column, source) in [(1, 1), (2, 2)] {
        let hex = Array(reread[column])
        precondition(hex.count == 32, "an index is 32 hex digits")
        precondition(String(decoding: hex, as: UTF8.self) == bytes(fields[source]).map { byte in
            let digits = Array("0123456789abcdef")
            return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
        }.joined(), "an index is not the value's")
    }
    for (column, source) in zip(3..., [8, 9, 11, 12, 13, 14]) {
        precondition(Array(reread[column]) == Array(fields[source]), "kept column \(source) changed")
    }
    return 0
}
