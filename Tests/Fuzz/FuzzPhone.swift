// libFuzzer target: phone normalisation never traps, yields E.164 +62 numbers only, and is
// idempotent (a stored number normalises to itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPhone(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let normalized = PhoneNumber.normalized(text) else { return 0 }
    precondition(normalized.hasPrefix("+62"), "not Indonesian: \(normalized)")
    precondition(normalized.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }, "not digits: \(normalized)")
    precondition((11...15).contains(normalized.count), "length: \(normalized)")
    precondition(PhoneNumber.normalized(normalized) == normalized, "not idempotent: \(normalized)")
    return 0
}
