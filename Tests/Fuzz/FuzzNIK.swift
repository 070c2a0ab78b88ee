import LayarDomain

// libFuzzer target: the NIK parser (bytes and text) never traps, and both agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNIK(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fromBytes = NIK.parts(bytes[...])
    let text = String(decoding: bytes, as: UTF8.self)
    let fromText = Result { try NIK(text) }
    switch (fromBytes, fromText) {
    case (.success(let parts), .success(let nik)):
        precondition(nik.digits.utf8.elementsEqual(bytes), "text and bytes parse different NIKs")
        precondition((1...31).contains(parts.birthDay) && (1...12).contains(parts.birthMonth))
        precondition(parts.isFemale == nik.isFemale && parts.birthDay == nik.birthDay)
    case (.failure, .failure):
        break
    case (.success, .failure) where !text.utf8.elementsEqual(bytes):
        break  // invalid UTF-8 repaired by decoding: only the byte parser saw the original
    default:
        preconditionFailure("the byte and text parsers disagree on \(bytes)")
    }
    return 0
}
