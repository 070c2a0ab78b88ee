import Foundation
import LayarRuntime

/// Turns a registry extract, read in chunks of any size, into the binary COPY stream of the rows
/// verification keeps, counting and recording the rejected ones. A value type with mutating
/// methods: its counters live in one place the compiler can see (no closure-captured state with
/// run-time exclusivity checks in the loop over a million rows).
struct RegistryCopyStream {
    let nikIndex: BlindIndexer
    let kkIndex: BlindIndexer
    /// Encoded tuples not yet taken by ``takeOutput()``.
    private(set) var output: [UInt8]
    private(set) var processed = 0
    private(set) var rejected = 0
    /// The first rejected rows: (line number, reason).
    private(set) var rejections: [(line: Int, reason: String)] = []
    private var lineNumber = 0
    /// Read from the header line; nil until it was.
    private(set) var layout: RegistryLayout?
    /// Extra names for columns (a mapping file's).
    private let aliases: [String: [String]]
    /// Every rejected row as `line,reason` CSV, for the report file; taken with ``takeRejectedLines()``.
    private(set) var rejectedLines: [UInt8] = []
    /// The incomplete last line of the previous chunk.
    private var pending: [UInt8] = []
    private let outputCapacity: Int

    init(nikIndex: BlindIndexer, kkIndex: BlindIndexer, outputCapacity: Int, aliases: [String: [String]] = [:]) {
        self.nikIndex = nikIndex
        self.kkIndex = kkIndex
        self.aliases = aliases
        self.outputCapacity = outputCapacity
        output = RegistryRowValidator.copyHeader
        output.reserveCapacity(outputCapacity)
    }

    /// Handles every complete line of `pending + chunk` and keeps the rest for the next chunk.
    mutating func add(_ chunk: [UInt8]) throws {
        var data = pending
        data.append(contentsOf: chunk)
        let consumed = try data.withUnsafeMutableBufferPointer { buffer in
            try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: CSVLine.maximumFields) { bounds in
                try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: RegistryRowValidator.columns.count) { ordered in
                    var start = 0
                    while start < buffer.count, let newline = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) {
                        let end = newline.assumingMemoryBound(to: UInt8.self) - buffer.baseAddress!
                        try handle(UnsafeMutableBufferPointer(rebasing: buffer[start..<end]), bounds: bounds, ordered: ordered)
                        start = end + 1
                    }
                    return start
                }
            }
        }
        pending = Array(data[consumed...])
    }

    /// Handles a last line without a line break (as if it had one) and ends the stream.
    mutating func finish() throws {
        if !pending.isEmpty { try add([UInt8(ascii: "\n")]) }
        output.append(contentsOf: RegistryRowValidator.copyTrailer)
    }

    /// The tuples encoded so far, leaving a fresh buffer behind.
    mutating func takeOutput() -> [UInt8] {
        defer {
            output = []
            output.reserveCapacity(outputCapacity)
        }
        return output
    }

    /// The rejected rows' report so far, leaving an empty one behind.
    mutating func takeRejectedLines() -> [UInt8] {
        defer { rejectedLines = [] }
        return rejectedLines
    }

    private mutating func handle(
        _ line: UnsafeMutableBufferPointer<UInt8>, bounds: UnsafeMutableBufferPointer<Range<Int>>,
        ordered: UnsafeMutableBufferPointer<Range<Int>>
    ) throws {
        lineNumber += 1
        var line = line
        if line.last == UInt8(ascii: "\r") { line = UnsafeMutableBufferPointer(rebasing: line.dropLast()) }
        guard let layout else {
            do {
                layout = try RegistryLayout.of(Array(line), aliases: aliases)
            } catch {
                throw RegistryImporter.BadHeader(found: String(decoding: line, as: UTF8.self), problem: error)
            }
            return
        }
        if line.isEmpty { return }
        processed += 1
        guard let count = CSVLine.split(line, into: bounds, delimiter: layout.delimiter) else { return reject("unterminated quote") }
        guard count == layout.fileColumns else { return reject("expected \(layout.fileColumns) columns, found \(count)") }
        let fields = CSVLine.reordered(line, bounds: bounds, positions: layout.positions, into: ordered)
        if let reason = RegistryRowValidator.problem(fields) { return reject(reason) }
        RegistryRowValidator.appendCopyTuple(
            fields, nik: nikIndex.index128(UnsafeRawBufferPointer(fields[1])), kk: kkIndex.index128(UnsafeRawBufferPointer(fields[2])),
            to: &output
        )
    }

    private mutating func reject(_ reason: String) {
        rejected += 1
        if rejections.count < 100 { rejections.append((lineNumber, reason)) }
        rejectedLines.append(contentsOf: "\(lineNumber),\(CSVLine.field(reason))\n".utf8)
    }
}
