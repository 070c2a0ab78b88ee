import ArgumentParser
import Foundation
import LayarDomain
import LayarPortal
import LayarPostgres
import LayarRuntime
import Logging

@main
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layar-portal",
        abstract: "The LAYAR web portal: the citizens' referral form and the staff console.",
        subcommands: [Serve.self, AddStaff.self, IssueToken.self, HealthCheck.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the portal (configuration from the environment).")

    func run() async throws {
        let configuration: PortalConfiguration
        do {
            configuration = try PortalConfiguration.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("layar-portal: \(error)\n".utf8))
            throw ExitCode(2)
        }
        LogSetup.bootstrap(service: "layar-portal", level: configuration.logLevel, format: configuration.logFormat, clock: .system)
        try await PortalServer.run(configuration, clock: .system)
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
        let logger = Logger(label: "layar.portal")
        let pool = PostgresPool(configuration: configuration.postgres, logger: logger)
        do {
            try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: logger)
            try await StaffAccounts(pool: pool, clock: .system, passwordCost: configuration.passwordCost).upsert(
                username: username, displayName: name, roles: Set(known), caseWorkerID: caseWorker, password: password
            )
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
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
        let logger = Logger(label: "layar.portal")
        let pool = PostgresPool(configuration: configuration.postgres, logger: logger)
        let key: String?
        do {
            try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: logger)
            key = try await StaffAccounts(pool: pool, clock: .system, passwordCost: configuration.passwordCost)
                .openLayarctlSession(username: username, hours: hours)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        guard let key else { throw ValidationError("no active account \(username)") }
        print(key)
    }
}

struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck", abstract: "Exit 0 when the local portal answers /healthz (a container health check)."
    )

    func run() async throws {
        let port = Int(ProcessInfo.processInfo.environment["LAYAR_PORTAL_PORT"] ?? "") ?? 8080
        guard LocalHTTPProbe.isHealthy(port: port) else { throw ExitCode(1) }
    }
}
