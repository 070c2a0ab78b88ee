import Foundation

/// The text of one plain-text e-mail as it goes after SMTP's DATA: RFC 5322 headers, a UTF-8
/// body in base64 (lines of 76), CRLF line ends, dot-stuffed and ended by a line with one ".".
struct SMTPMessageFormat: Sendable {
    /// The `From` header's value: `address` or `Display Name <address>` (a non-ASCII name is
    /// RFC 2047-encoded).
    var from: String
    var to: String
    var subject: String
    var text: String
    /// `<id@domain>`.
    var messageID: String
    var date: Date

    /// The message: headers, an empty line, the body; every line ended by CRLF.
    var message: String {
        let headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.headerText(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        return (headers + [""] + Self.base64Lines(Self.crlfLines(text))).map { $0 + "\r\n" }.joined()
    }

    /// What the client writes after the server's 354: ``message`` with every line that starts with
    /// "." given one more (RFC 5321, section 4.5.2), then the ending `.` line.
    var dataBlock: [UInt8] { Self.dataBlock(message) }

    /// Dot-stuffs `message` (CRLF lines) and appends the end of data.
    static func dataBlock(_ message: String) -> [UInt8] {
        var lines = message.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return Array((lines.map { ($0.hasPrefix(".") ? "." + $0 : $0) + "\r\n" }.joined() + ".\r\n").utf8)
    }

    /// `text` as it may stand in a header: itself when it is printable ASCII of a sensible length,
    /// else RFC 2047 encoded words (`=?UTF-8?B?…?=`, at most 75 characters each, folded onto
    /// continuation lines). Line breaks become spaces.
    static func headerText(_ text: String) -> String {
        let flat = text.components(separatedBy: CharacterSet(charactersIn: "\r\n\t")).filter { !$0.isEmpty }.joined(separator: " ")
        let printable = flat.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) }
        if printable && flat.utf8.count <= 900 && !flat.contains("=?") { return flat }
        var words: [String] = []
        var chunk = ""
        for character in flat {
            // 45 bytes make 60 base64 characters: the word stays within 75.
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(encodedWord(chunk))
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ text: String) -> String {
        "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// `Fri, 04 Dec 2026 02:00:00 +0000` (RFC 5322, section 3.3), in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[((parts.weekday ?? 1) - 1) % 7]), \(two(parts.day)) \(months[((parts.month ?? 1) - 1) % 12]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    /// The text with CRLF line ends (the canonical form of text/plain).
    static func crlfLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// `text`'s UTF-8 in base64, cut into lines of 76 characters (RFC 2045, section 6.8).
    static func base64Lines(_ text: String) -> [String] {
        let encoded = Array(Data(text.utf8).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        }
    }
}
