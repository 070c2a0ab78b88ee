import Foundation
import LayarPostgres
import LayarTestSupport
import Testing

/// One command line for every executable: the services and the portal name, describe and exit
/// their runtime commands alike, run as the deployment files run them (the built executables, a
/// real database).
@Suite("Command lines")
struct CommandLineTests {
    static let services = ["intake", "verification", "assignment", "notification", "survey"]

    struct Run {
        var status: Int32
        var output: String
    }

    static func run(_ product: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.binDirectory()).appendingPathComponent(product)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { _, given in given }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// The `--help` lines of the runtime's commands (a command and its wrapped description).
    static func runtimeLines(_ help: String) -> [String] {
        let commands = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        var lines: [String] = []
        for line in commands.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  ") && !line.hasPrefix("   ") {
                guard ["serve", "migrate", "healthcheck"].contains(where: { trimmed.hasPrefix($0) }) else { break }
                lines.append(trimmed)
            } else if !lines.isEmpty && !trimmed.isEmpty {
                lines[lines.count - 1] += " " + trimmed
            }
        }
        return lines
    }

    @Test("the portal's runtime commands are the services': the same names, the same words, serve the default")
    func oneFrontEnd() throws {
        let portal = try Self.run("layar-portal", ["--help"])
        #expect(portal.status == 0)
        let lines = Self.runtimeLines(portal.output)
        #expect(lines.count == 3 && lines.first?.hasPrefix("serve (default)") == true, "\(portal.output)")
        #expect(portal.output.contains("add-staff") && portal.output.contains("issue-token"))
        for service in Self.services {
            let help = try Self.run("layar-\(service)", ["--help"])
            #expect(Array(Self.runtimeLines(help.output).prefix(3)) == lines, "layar-\(service)")
            #expect(help.output.contains("rotate-data-key"))
        }
    }

    @Test("exit statuses: 2 for a bad setting, 1 for a health check with nothing serving, 0 for a migration")
    func exitStatuses() throws {
        // A port nothing listens on.
        let idle = ["LAYAR_PORTAL_PORT": "1", "LAYAR_GRPC_PORT": "1"]
        #expect(try Self.run("layar-portal", ["healthcheck"], environment: idle).status == 1)
        #expect(try Self.run("layar-intake", ["healthcheck"], environment: idle.merging(
            ["LAYAR_DATABASE_URL": try TestEnvironment.serviceDatabaseURL("intake"), "KAFKA_BROKERS": "127.0.0.1:1"]
        ) { $1 }).status == 1)

        let unset = try Self.run("layar-portal", ["migrate"])
        #expect(unset.status == 2 && unset.output.contains("LAYAR_DATABASE_URL"))
        #expect(try Self.run("layar-intake", ["migrate"]).status == 2)

        let portal = ["LAYAR_DATABASE_URL": try TestEnvironment.serviceDatabaseURL("portal")]
        let migrated = try Self.run("layar-portal", ["migrate"], environment: portal)
        #expect(migrated.status == 0, "\(migrated.output)")
        #expect(try Self.run("layar-portal", ["migrate"], environment: portal).status == 0, "a second run finds nothing to do")
    }
}
