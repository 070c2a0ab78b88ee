/// Reads a `multipart/form-data` body (RFC 7578) held in memory; the route has bounded its size.
/// Parts without a file name are fields; a file input left empty (empty file name and no bytes)
/// is skipped, as browsers send one for every file input.
struct MultipartParser {
    let boundary: String

    /// The `boundary` parameter of a Content-Type header, quoted or not.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    func parse(_ body: [UInt8]) throws(FormDataError) -> FormData {
        // Every delimiter, the first included, is then "\r\n--boundary".
        let data = [13, 10] + body
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var form = FormData()
        guard var cursor = data.firstRange(of: delimiter)?.upperBound else { throw .malformed }
        while true {
            // After a delimiter: "--" ends the body, otherwise CRLF and a part follow.
            if data[cursor...].starts(with: [45, 45]) { return form }
            guard data[cursor...].starts(with: [13, 10]) else { throw .malformed }
            let partStart = cursor + 2
            guard let next = data[partStart...].firstRange(of: delimiter) else { throw .malformed }
            try add(part: data[partStart..<next.lowerBound], to: &form)
            cursor = next.upperBound
        }
    }

    private func add(part: ArraySlice<UInt8>, to form: inout FormData) throws(FormDataError) {
        guard let split = part.firstRange(of: [13, 10, 13, 10]) else { throw .malformed }
        let headerText = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
        let content = Array(part[split.upperBound...])
        var name: String?
        var fileName: String?
        var contentType = "application/octet-stream"
        for line in headerText.components(separatedBy: "\r\n") {
            let lower = line.lowercased()
            if lower.hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                fileName = Self.parameter("filename", in: line)
            } else if lower.hasPrefix("content-type:") {
                contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        guard let name else { throw .malformed }
        if let fileName {
            if fileName.isEmpty && content.isEmpty { return }
            form.files[name, default: []].append(UploadedFile(fileName: fileName, contentType: contentType, bytes: content))
        } else {
            form.append(String(decoding: content, as: UTF8.self), to: name)
        }
    }

    /// `name="value"` in a Content-Disposition line (browsers escape `"` as `%22`).
    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = trimmed.dropFirst(key.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.replacingOccurrences(of: "%22", with: "\"")
        }
        return nil
    }
}

import Foundation
