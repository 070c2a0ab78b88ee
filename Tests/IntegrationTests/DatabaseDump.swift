import Foundation
import LayarTestSupport

/// What a stolen database dump of the services' schemas shows: `pg_dump` of their data (searched
/// with ``SamplePersonalData/found(in:alsoAsHex:)``).
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
}
