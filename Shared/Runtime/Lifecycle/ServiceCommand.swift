import Foundation
import ArgumentParser

/// The command line of every LAYAR executable, one for all: the runtime's commands it supports
/// (`serve`, the default; `migrate`; `healthcheck`; `rotate-data-key`), named, described and
/// exiting alike (2 on a bad setting, 1 on failure), and the executable's own commands beside them.
/// The services get theirs from ``ServiceCommand``; the portal, an HTTP edge without a
/// ``ServiceDefinition``, runs the same commands its own way.
///
/// The deployment files run these commands (`healthcheck` in compose and the image, `serve` and
/// `migrate` in Kubernetes); `deploy/local/deploy-commands-test.sh` runs each of them, as read from
/// those files, against a local stack.
public protocol LayarExecutable: AsyncParsableCommand {
    /// The executable's name, `layar-<name>`.
    static var executableName: String { get }
    /// One line on what it is, for `--help`.
    static var summary: String { get }
    /// The runtime's commands it has; the first is the default.
    static var runtimeCommands: [ServiceRunner.Command] { get }
    /// Runs one of ``runtimeCommands``; exits the process with the command's status.
    static func run(_ command: ServiceRunner.Command) async
    /// Its own commands, beside the runtime's.
    static var ownSubcommands: [any ParsableCommand.Type] { get }
}

extension LayarExecutable {
    public static var ownSubcommands: [any ParsableCommand.Type] { [] }

    public static var configuration: CommandConfiguration {
        let runtime = runtimeCommands.map { RuntimeCommands.subcommand($0, of: Self.self) }
        return CommandConfiguration(
            commandName: executableName, abstract: summary, subcommands: runtime + ownSubcommands, defaultSubcommand: runtime.first
        )
    }
}

/// A service executable: a ``LayarExecutable`` whose commands the runtime runs for its
/// ``ServiceDefinition``. An executable is a type conforming to this protocol, marked `@main`:
///
/// ```swift
/// @main
/// struct IntakeCommand: ServiceCommand {
///     static let serviceName = "intake"
///     static func definition(environment: [String: String]) throws -> ServiceDefinition { ... }
/// }
/// ```
public protocol ServiceCommand: LayarExecutable {
    /// The service's name, as in `layar-<name>`.
    static var serviceName: String { get }
    /// The service, from the process's environment (throws on a bad setting: exit status 2).
    static func definition(environment: [String: String]) throws -> ServiceDefinition
    /// The service's own commands, beside the runtime's.
    static var serviceSubcommands: [any ParsableCommand.Type] { get }
}

extension ServiceCommand {
    public static var serviceSubcommands: [any ParsableCommand.Type] { [] }
    public static var ownSubcommands: [any ParsableCommand.Type] { serviceSubcommands }
    public static var executableName: String { "layar-\(serviceName)" }
    public static var summary: String { "The LAYAR \(serviceName) service (configuration from the environment)." }
    public static var runtimeCommands: [ServiceRunner.Command] { [.serve, .migrate, .healthcheck, .rotateDataKey] }

    public static func run(_ command: ServiceRunner.Command) async {
        await ServiceRunner.main(command) { try definition(environment: ProcessInfo.processInfo.environment) }
    }
}

/// One of the runtime's commands, as a type: what `RuntimeSubcommand` names and runs.
public protocol RuntimeCommandKind: Sendable {
    static var command: ServiceRunner.Command { get }
    static var abstract: String { get }
}

/// The runtime's commands as types, for ``RuntimeSubcommand``.
public enum RuntimeCommands {
    /// The subcommand that runs `command` for `executable`.
    static func subcommand<Executable: LayarExecutable>(
        _ command: ServiceRunner.Command, of executable: Executable.Type
    ) -> any ParsableCommand.Type {
        switch command {
        case .serve: RuntimeSubcommand<Executable, Serve>.self
        case .migrate: RuntimeSubcommand<Executable, Migrate>.self
        case .healthcheck: RuntimeSubcommand<Executable, Healthcheck>.self
        case .rotateDataKey: RuntimeSubcommand<Executable, RotateDataKey>.self
        }
    }

    public enum Serve: RuntimeCommandKind {
        public static let command = ServiceRunner.Command.serve
        public static let abstract = "Run the service until SIGTERM or SIGINT (the default)."
    }

    public enum Migrate: RuntimeCommandKind {
        public static let command = ServiceRunner.Command.migrate
        public static let abstract = "Apply the schema's migrations and exit (the Kubernetes Job before a rollout)."
    }

    public enum Healthcheck: RuntimeCommandKind {
        public static let command = ServiceRunner.Command.healthcheck
        public static let abstract = "Exit 0 when the local health endpoint answers (a service's gRPC SERVING, the portal's /healthz), 1 otherwise (container health checks)."
    }

    public enum RotateDataKey: RuntimeCommandKind {
        public static let command = ServiceRunner.Command.rotateDataKey
        public static let abstract = "Announce a new data key for personal data at rest; it seals from five minutes on."
    }
}

/// The runtime's command `Kind` of the executable `Executable`.
public struct RuntimeSubcommand<Executable: LayarExecutable, Kind: RuntimeCommandKind>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.command.rawValue, abstract: Kind.abstract)
    }

    public init() {}

    public func run() async throws {
        await Executable.run(Kind.command)
    }
}
