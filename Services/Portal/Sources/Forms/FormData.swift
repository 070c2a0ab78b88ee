/// The fields and files of a submitted HTML form, from either encoding browsers use
/// (`application/x-www-form-urlencoded` or `multipart/form-data`).
struct FormData: Sendable {
    var fields: [String: [String]] = [:]
    var files: [String: [UploadedFile]] = [:]

    /// The first value of `name`, trimmed ("" when absent).
    subscript(name: String) -> String {
        (fields[name]?.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every value of `name` (checkboxes, multi-selects).
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// Whether a checkbox named `name` was ticked.
    func isChecked(_ name: String) -> Bool { fields[name] != nil }

    mutating func append(_ value: String, to name: String) { fields[name, default: []].append(value) }

    /// Parses a request body. Unknown content types give an empty form (every field then reads
    /// as missing, which the page reports like any other missing field).
    static func parse(_ body: [UInt8], contentType: String?) throws(FormDataError) -> FormData {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = MultipartParser.boundary(of: contentType ?? "") else { throw .malformed }
            return try MultipartParser(boundary: boundary).parse(body)
        }
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return urlEncoded(String(decoding: body, as: UTF8.self))
        }
        return FormData()
    }

    static func urlEncoded(_ text: String) -> FormData {
        var form = FormData()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            form.append(parts.count > 1 ? decode(parts[1]) : "", to: decode(parts[0]))
        }
        return form
    }
}

/// A file from a `<input type="file">`.
struct UploadedFile: Sendable, Equatable {
    var fileName: String
    var contentType: String
    var bytes: [UInt8]
}

enum FormDataError: Error {
    case malformed
}

import Foundation
