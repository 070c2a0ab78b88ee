import Foundation
import LayarTestSupport

/// What a stolen database dump of the services' schemas shows: `pg_dump` of their data, searched
/// for the sample persons' names, phones and NIK-shaped numbers, both as text and as the hex that
/// `bytea` columns are dumped in.
enum DatabaseDump {
    /// The dumps of the five services' schemas (data only), each made with the service's own
    /// role, as pg_dump writes them.
    static func services() throws -> String {
        try ServiceProcesses.names.map { service in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pg_dump", "--data-only", "--schema=\(service)", try TestEnvironment.serviceDatabaseURL(service)]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw Failure("pg_dump of \(service) failed with status \(process.terminationStatus): \(message)")
            }
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n")
    }

    /// The personal data of the sample persons found in `dump`.
    static func personalData(in dump: String) -> [String] {
        var found: [String] = []
        for text in ["Siti Aminah", "Rusdiansyah", "0812-3456-7890", "81234567890", "Lansia tinggal sendiri"] {
            if dump.contains(text) { found.append(text) }
            if dump.contains(hex(text)) { found.append("\(text) (hex)") }
        }
        found += dump.matches(of: /\b63\d{14}\b/).prefix(3).map { "NIK-like \(dump[$0.range])" }
        // "63" and 14 more digits, as UTF-8 in a bytea's hex.
        found += dump.matches(of: /3633(?:3[0-9]){14}/).prefix(3).map { "NIK-like hex \(dump[$0.range])" }
        return found
    }

    static func hex(_ text: String) -> String {
        text.utf8.map { String(format: "%02x", $0) }.joined()
    }
}
