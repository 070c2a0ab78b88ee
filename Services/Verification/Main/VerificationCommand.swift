import ArgumentParser
import Foundation
import LayarDomain
import LayarRuntime
import LayarVerification

/// `layar-verification`: the runtime's commands (serve, migrate, healthcheck, rotate-data-key) and
/// the registry tools.
@main
struct VerificationCommand: ServiceCommand {
    static let serviceName = "verification"
    static let serviceSubcommands: [any ParsableCommand.Type] = [ImportRegistry.self, GenerateRegistry.self]

    static func definition(environment: [String: String]) throws -> ServiceDefinition {
        VerificationService.definition
    }

    struct ImportRegistry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-registry",
            abstract: "Load a DTKS/DTSEN extract (CSV) as the new registry snapshot (uses LAYAR_DATABASE_URL)."
        )
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Where the extract comes from, e.g. \"DTSEN 2026 Q3\".") var source: String
        @Option(help: "The extract's date, YYYY-MM-DD.") var date: String
        @Option(help: "Abort when more than this share of rows is invalid (rounded down: 1 % of 250 rows allows 2).") var maxRejected = 0.01
        @Option(help: "A mapping file for other column names: one 'column=name in the file' per line.") var mapping: String?
        @Option(help: "Where every rejected row goes as 'line,reason' CSV (default: the file's name + .rejected.csv).") var rejectedReport: String?

        func run() async throws {
            let parts = date.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, CivilDate(year: parts[0], month: parts[1], day: parts[2]).isValid else {
                throw ValidationError("--date must be YYYY-MM-DD")
            }
            let reportPath = rejectedReport ?? file + ".rejected.csv"
            do {
                let aliases = try mapping.map { try RegistryLayout.aliases(mapping: try String(contentsOfFile: $0, encoding: .utf8)) } ?? [:]
                let report = try await RegistryCommands.importExtract(
                    path: file, source: source, snapshotDate: CivilDate(year: parts[0], month: parts[1], day: parts[2]),
                    maximumRejectedRatio: maxRejected, aliases: aliases, rejectedReport: reportPath,
                    environment: ProcessInfo.processInfo.environment, clock: .system
                )
                print("snapshot \(report.snapshotID): \(report.rows) rows loaded, \(report.rejected) rejected (at most \(report.allowedRejections) allowed), "
                    + String(format: "%.2f s, %.0f rows/s", report.seconds, Double(report.rows) / max(report.seconds, 0.001)))
                for rejection in report.rejections.prefix(20) { print("  line \(rejection.line): \(rejection.reason)") }
                if report.rejected > 0 { print("every rejected row: \(reportPath)") }
            } catch {
                let every = FileManager.default.fileExists(atPath: reportPath) ? "\nevery rejected row: \(reportPath)" : ""
                FileHandle.standardError.write(Data("import failed: \(error)\(every)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct GenerateRegistry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-registry", abstract: "Write a synthetic registry extract (invented people) for tests and benchmarks."
        )
        @Option(help: "Number of people.") var rows = 1_000
        @Option(help: "Output CSV file.") var output: String
        @Option(help: "Seed: the same seed writes the same file.") var seed: UInt64 = 2026
        @Option(help: "Make every n-th row invalid (0: none).") var badEvery = 0

        func run() throws {
            var generator = SyntheticRegistry(seed: seed)
            generator.badEvery = badEvery
            try generator.write(rows: rows, to: output)
        }
    }
}
