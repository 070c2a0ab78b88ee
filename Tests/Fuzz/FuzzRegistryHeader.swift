import Foundation
import LayarDomain

// libFuzzer target: the header line of a registry extract. Reading a layout never traps; a layout
// it finds uses the header's own separator, names each registry column at one distinct position
// inside the row, and reads the same from the header again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistryHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let header = Array(UnsafeBufferPointer(start: data, count: size))
    guard !header.contains(UInt8(ascii: "\n")), let layout = try? RegistryLayout.of(header) else { return 0 }
    precondition([UInt8(ascii: ","), UInt8(ascii: ";")].contains(layout.delimiter), "an unknown separator")
    precondition(layout.positions.count == RegistryRowValidator.columns.count, "a column without a position")
    precondition(Set(layout.positions).count == layout.positions.count, "two columns at one position")
    precondition(layout.positions.allSatisfy { (0..<layout.fileColumns).contains($0) }, "a position outside the row")
    precondition((try? RegistryLayout.of(header)) == layout, "the same header read twice differs")
    return 0
}
