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
        @Option(help: "Abort when more than this share of rows is invalid.") var maxRejected = 0.01

        func run() async throws {
            let parts = date.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, CivilDate(year: parts[0], month: parts[1], day: parts[2]).isValid else {
                throw ValidationError("--date must be YYYY-MM-DD")
            }
            do {
                let report = try await RegistryCommands.importExtract(
                    path: file, source: source, snapshotDate: CivilDate(year: parts[0], month: parts[1], day: parts[2]),
                    maximumRejectedRatio: maxRejected, environment: ProcessInfo.processInfo.environment,
                    clock: .system
                )
                print("snapshot \(report.snapshotID): \(report.rows) rows loaded, \(report.rejected) rejected, "
                    + String(format: "%.2f s, %.0f rows/s", report.seconds, Double(report.rows) / max(report.seconds, 0.001)))
                for rejection in report.rejections.prefix(20) { print("  line \(rejection.line): \(rejection.reason)") }
            } catch {
                FileHandle.standardError.write(Data("import failed: \(error)\n".utf8))
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
