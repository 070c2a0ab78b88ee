import Foundation

/// Finds tags and their text in an XML document's bytes, for the regular XML inside an XLSX
/// workbook (no DTDs, no CDATA in what we read): a position that moves forward, substring search,
/// and the five predefined entities and character references decoded. Patterns are byte arrays
/// made once (``Tag``), not per search: a sheet of a million rows has fifteen million cells.
struct XMLScanner {
    /// An element's opening and closing patterns.
    struct Tag {
        let open: [UInt8]
        let close: [UInt8]

        init(_ name: String) {
            open = Array("<\(name)".utf8)
            close = Array("</\(name)>".utf8)
        }
    }

    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The start of the next `pattern` from the current position, moving past it; nil when none.
    mutating func next(_ pattern: [UInt8]) -> Int? {
        guard let found = find(pattern, from: position) else { return nil }
        position = found + pattern.count
        return found
    }

    /// Where `needle` next starts at or after `start`: `memchr` for its first byte, then a compare.
    func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first else { return start }
        return bytes.withUnsafeBufferPointer { haystack -> Int? in
            var index = start
            while index + needle.count <= haystack.count {
                guard let hit = memchr(haystack.baseAddress! + index, Int32(first), haystack.count - index - needle.count + 1) else { return nil }
                let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - haystack.baseAddress!
                if needle.count == 1 || memcmp(haystack.baseAddress! + at, needle, needle.count) == 0 { return at }
                index = at + 1
            }
            return nil
        }
    }

    func find(_ pattern: String, from start: Int) -> Int? {
        find(Array(pattern.utf8), from: start)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The decoded text of every `<tag>` or `<tag …>` element inside `range`.
    func texts(of tag: Tag, in range: Range<Int>) -> [String] {
        var found: [String] = []
        var start = range.lowerBound
        while let open = find(tag.open, from: start), open < range.upperBound {
            guard let tagEnd = find(Self.tagEnd, from: open) else { break }
            let next = bytes[open + tag.open.count]
            guard next == UInt8(ascii: ">") || next == UInt8(ascii: " ") || next == UInt8(ascii: "/") else {
                start = tagEnd + 1
                continue
            }
            if bytes[tagEnd - 1] == UInt8(ascii: "/") {  // <t/>: empty
                found.append("")
                start = tagEnd + 1
                continue
            }
            guard let close = find(tag.close, from: tagEnd), close <= range.upperBound else { break }
            found.append(Self.decoded(text(tagEnd + 1..<close)))
            start = close
        }
        return found
    }

    static let tagEnd: [UInt8] = [UInt8(ascii: ">")]

    /// The bytes of attribute `name`'s value (`name="value"`, `name` given with its leading space
    /// and `="`) inside a tag's `range`; nil when the tag has none.
    func attribute(_ name: [UInt8], in range: Range<Int>) -> Range<Int>? {
        guard let found = find(name, from: range.lowerBound), found < range.upperBound else { return nil }
        let start = found + name.count
        guard let end = find([UInt8(ascii: "\"")], from: start), end <= range.upperBound else { return nil }
        return start..<end
    }

    /// Attribute `name`'s value inside a tag's `range` as text, decoded.
    func attribute(_ name: String, in range: Range<Int>) -> String? {
        attribute(Array(" \(name)=\"".utf8), in: range).map { Self.decoded(text($0)) }
    }

    /// The predefined entities and numeric character references replaced.
    static func decoded(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar = number.flatMap(Unicode.Scalar.init) { result.unicodeScalars.append(scalar) } else { result += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
