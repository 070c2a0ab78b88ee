import Foundation

// libFuzzer target: two names (the input split at its first newline) as intake compares people
// without papers: normalising never traps, a similarity is within 0...1, and a known name is
// fully like itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPersonNames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let a = PersonNameKey(String(decoding: bytes[..<split], as: UTF8.self))
    let b = PersonNameKey(String(decoding: bytes[split...].dropFirst(), as: UTF8.self))
    if let similarity = a.similarity(to: b) {
        precondition((0...1).contains(similarity), "similarity \(similarity) out of range")
    }
    if let itself = a.similarity(to: a) {
        precondition(abs(itself - 1) < 1e-9, "a name is only \(itself) like itself")
    }
    return 0
}
