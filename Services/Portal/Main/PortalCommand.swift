import ArgumentParser
import Foundation
import LayarDomain
import LayarPortal
import LayarPostgres
import LayarRuntime
import Logging

/// `layar-portal`: the runtime's commands it has (serve, migrate, healthcheck), named and exiting
/// as every service's, and the account tools.
@main
struct PortalCommand: LayarExecutable {
    static let executableName = "layar-portal"
    static let summary = "The LAYAR web portal: the citizens' referral form and the staff console."
    static let runtimeCommands: [ServiceRunner.Command] = [.serve, .migrate, .healthcheck]
    static let ownSubcommands: [any ParsableCommand.Type] = [AddStaff.self, IssueToken.self]

    static func run(_ command: ServiceRunner.Command) async {
        if command == .healthcheck {
            let port = Int(ProcessInfo.processInfo.environment["LAYAR_PORTAL_PORT"] ?? "") ?? 8080
            Foundation.exit(LocalHTTPProbe.isHealthy(port: port) ? 0 : 1)
        }
        let configuration: PortalConfiguration
        do {
            configuration = try PortalConfiguration.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("layar-portal: \(error)\n".utf8))
            Foundation.exit(2)
        }
        LogSetup.bootstrap(service: "layar-portal", level: configuration.logLevel, format: configuration.logFormat, clock: .system)
        let logger = Logger(label: "layar.portal")
        do {
            switch command {
            case .migrate:
                try await withPool(configuration) { pool in
                    try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: logger)
                }
            default:
                try await PortalServer.run(configuration, clock: .system)
            }
        } catch {
            logger.critical("stopped: \(error)")
            Foundation.exit(1)
        }
    }
}

/// Runs a one-off command with the portal's pool, closed whatever happens.
func withPool<Result>(_ configuration: PortalConfiguration, _ body: (PostgresPool) async throws -> Result) async throws -> Result {
    let pool = PostgresPool(configuration: configuration.postgres, logger: Logger(label: "layar.portal"))
    do {
        let result = try await body(pool)
        await pool.close()
        return result
    } catch {
        await pool.close()
        throw error
    }
}

struct AddStaff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-staff",
        abstract: "Create or update a staff account; the password is read from standard input."
    )
    @Option(help: "Login name (a-z, 0-9, '.', '_', '-', 3 to 40 characters).") var username: String
    @Option(help: "Name shown in the console.") var name: String
    @Option(help: "Comma-separated roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).") var roles: String
    @Option(help: "The assignment service's case-worker id of this person (e.g. PS-01).") var caseWorker = ""

    func run() async throws {
        let parsed = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = parsed.compactMap(StaffRole.init(rawValue:))
        guard !known.isEmpty, known.count == parsed.count else { throw ValidationError("unknown role in '\(roles)'") }
        let password = (readLine(strippingNewline: true) ?? "")
        guard password.count >= 10 else { throw ValidationError("the password (standard input) needs at least 10 characters") }
        let configuration = try PortalConfiguration.fromEnvironment()
        try await withPool(configuration) { pool in
            try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: Logger(label: "layar.portal"))
            try await StaffAccounts(pool: pool, clock: .system, passwordCost: configuration.passwordCost).upsert(
                username: username, displayName: name, roles: Set(known), caseWorkerID: caseWorker, password: password
            )
        }
        print("staff account \(username) ready (\(known.map(\.rawValue).joined(separator: ", ")))")
    }
}

struct IssueToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue-token",
        abstract: "Print a layarctl key for an account (for layarctl's --token or LAYAR_TOKEN): layarctl exchanges it at the portal for two-minute staff tokens; a password or role change ends it."
    )
    @Option(help: "The account's login name.") var username: String
    @Option(help: "Hours the key is valid (1 to 12).") var hours = 1

    func validate() throws {
        guard (1...12).contains(hours) else { throw ValidationError("--hours: 1 to 12") }
    }

    func run() async throws {
        let configuration = try PortalConfiguration.fromEnvironment()
        let key = try await withPool(configuration) { pool in
            try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: Logger(label: "layar.portal"))
            return try await StaffAccounts(pool: pool, clock: .system, passwordCost: configuration.passwordCost)
                .openLayarctlSession(username: username, hours: hours)
        }
        guard let key else { throw ValidationError("no active account \(username)") }
        print(key)
    }
}
