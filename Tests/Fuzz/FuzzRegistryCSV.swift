import LayarDomain

// libFuzzer target: one line of a registry extract. Splitting and validating never trap, and a
// row accepted for COPY reads back as exactly the fields that were checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = Array(UnsafeBufferPointer(start: data, count: size))[...]
    guard !line.contains(UInt8(ascii: "\n")), let fields = CSVLine.fields(line) else { return 0 }
    guard RegistryRowValidator.problem(fields) == nil else { return 0 }
    var output: [UInt8] = []
    RegistryRowValidator.appendCSV(line: line, fields: fields, to: &output)
    precondition(output.last == UInt8(ascii: "\n"), "a COPY row ends with a newline")
    let copied = output.dropLast()
    precondition(CSVLine.isStandard(copied), "COPY would read the row differently")
    guard let reread = CSVLine.fields(copied) else { preconditionFailure("the COPY row does not parse") }
    precondition(reread.map(Array.init) == fields.map(Array.init), "the COPY row changed a field")
    return 0
}
