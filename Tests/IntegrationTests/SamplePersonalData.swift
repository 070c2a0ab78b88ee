import Foundation

/// The sample persons' personal data (`SampleReferral`: names, phone in two forms, the
/// description of the situation) and anything shaped like a Balangan NIK, looked for in what the
/// services leave behind: their logs, and dumps of their schemas.
enum SamplePersonalData {
    static let texts = ["Siti Aminah", "Rusdiansyah", "0812-3456-7890", "81234567890", "Lansia tinggal sendiri"]

    /// What of it `text` holds. `alsoAsHex` for a database dump, where a `bytea` shows as hex: the
    /// texts are also looked for as UTF-8 hex, and a NIK must stand alone (hex of ciphertext holds
    /// long digit runs).
    static func found(in text: String, alsoAsHex: Bool = false) -> [String] {
        var found = texts.filter { text.contains($0) }
        let nik: Regex<Substring> = alsoAsHex ? /\b63\d{14}\b/ : /63\d{14}/
        found += text.matches(of: nik).prefix(3).map { "NIK-like \(text[$0.range])" }
        guard alsoAsHex else { return found }
        found += texts.filter { text.contains(hex($0)) }.map { "\($0) (hex)" }
        // "63" and 14 more digits, as UTF-8 in a bytea's hex.
        found += text.matches(of: /3633(?:3[0-9]){14}/).prefix(3).map { "NIK-like hex \(text[$0.range])" }
        return found
    }

    static func hex(_ text: String) -> String {
        text.utf8.map { String(format: "%02x", $0) }.joined()
    }
}
