/// The fields of one CSV line as ranges of the line's bytes: splitting a line copies nothing and
/// allocates nothing (a registry import splits a million of them).
public struct CSVFields {
    /// The line, quoted fields already unescaped in place (see ``CSVLine/split(_:into:)``).
    let line: UnsafeBufferPointer<UInt8>
    let bounds: UnsafeBufferPointer<Range<Int>>
    /// How many fields the line has; only the first `bounds.count` of them can be read.
    public let count: Int

    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[bounds[index]])
    }
}

/// Splits CSV lines into fields: a delimiter (a comma, or the semicolon of an Indonesian-locale
/// Excel), double-quoted fields with `""` for a quote. A quoted field may not span lines
/// (registry extracts keep addresses on one line).
public enum CSVLine {
    /// At most this many fields of a line are kept (a registry row has 15; more are only counted).
    public static let maximumFields = 32

    /// Splits `line` (no line break) into `bounds`, unescaping quoted fields in place (unescaping
    /// only shortens, so each field's bytes stay inside the line); the number of fields, which may
    /// exceed `bounds.count`, or nil for a quote that is not closed or not followed by the delimiter.
    public static func split(
        _ line: UnsafeMutableBufferPointer<UInt8>, into bounds: UnsafeMutableBufferPointer<Range<Int>>, delimiter: UInt8 = UInt8(ascii: ",")
    ) -> Int? {
        let quote = UInt8(ascii: "\"")
        var count = 0
        func keep(_ range: Range<Int>) {
            if count < bounds.count { bounds[count] = range }
            count += 1
        }
        var index = 0
        while true {
            if index < line.count, line[index] == quote {
                var read = index + 1
                var write = index
                while true {
                    guard read < line.count else { return nil }  // unterminated quote
                    let byte = line[read]
                    read += 1
                    if byte == quote {
                        guard read < line.count, line[read] == quote else { break }
                        read += 1  // a doubled quote stands for one
                    }
                    line[write] = byte
                    write += 1
                }
                keep(index..<write)
                index = read
                if index == line.count { return count }
                guard line[index] == delimiter else { return nil }
                index += 1
            } else {
                var end = index
                while end < line.count, line[end] != delimiter { end += 1 }
                keep(index..<end)
                if end == line.count { return count }
                index = end + 1
            }
        }
    }

    /// `text` as one comma-CSV field this splitter reads back as `text`: quoted (a quote doubled)
    /// when it holds a comma, a quote or a line break, and a line break (CR, LF or CRLF) made a
    /// space (a quoted field may not span lines here). Read by Unicode scalar, not by Character: in
    /// Swift "\r\n" is one Character, and so is a quote followed by a combining mark, and either
    /// went out unescaped and broke the row (both found by the registry-xlsx fuzz target).
    public static func field(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        var afterCR = false
        for scalar in scalars {
            switch scalar {
            case "\"": quoted.append(contentsOf: "\"\"".unicodeScalars)
            case "\r": quoted.append(" ")
            case "\n": if !afterCR { quoted.append(" ") }
            default: quoted.append(scalar)
            }
            afterCR = scalar == "\r"
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// ``split(_:into:delimiter:)`` as the fields it found, nil when the quoting is bad.
    public static func fields(
        splitting line: UnsafeMutableBufferPointer<UInt8>, into bounds: UnsafeMutableBufferPointer<Range<Int>>, delimiter: UInt8 = UInt8(ascii: ",")
    ) -> CSVFields? {
        guard let count = split(line, into: bounds, delimiter: delimiter) else { return nil }
        let kept = UnsafeBufferPointer(rebasing: bounds[..<min(count, bounds.count)])
        return CSVFields(line: UnsafeBufferPointer(line), bounds: kept, count: count)
    }

    /// The fields at `positions` of a line split into `bounds` (with `count` fields), in that
    /// order, written to `ordered`: a file's columns in the registry's order, still without a copy.
    public static func reordered(
        _ line: UnsafeMutableBufferPointer<UInt8>, bounds: UnsafeMutableBufferPointer<Range<Int>>, positions: [Int],
        into ordered: UnsafeMutableBufferPointer<Range<Int>>
    ) -> CSVFields {
        for (index, position) in positions.enumerated() { ordered[index] = bounds[position] }
        return CSVFields(line: UnsafeBufferPointer(line), bounds: UnsafeBufferPointer(rebasing: ordered[..<positions.count]), count: positions.count)
    }

    /// Splits a copy of `line` and hands its fields to `body` (nil when the quoting is bad): for
    /// callers that have a line rather than a file buffer (tests, the fuzz target).
    public static func withFields<Result>(_ line: [UInt8], _ body: (CSVFields?) throws -> Result) rethrows -> Result {
        var copy = line
        return try copy.withUnsafeMutableBufferPointer { buffer in
            try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maximumFields) { bounds in
                try body(fields(splitting: buffer, into: bounds))
            }
        }
    }
}
