import Foundation
import ArgumentParser

/// The command line of every service executable, one for all: the runtime's commands (`serve`, the
/// default; `migrate`; `healthcheck`; `rotate-data-key`) and the service's own beside them.
///
/// An executable is a type conforming to this protocol, marked `@main`:
///
/// ```swift
/// @main
/// struct IntakeCommand: ServiceCommand {
///     static let serviceName = "intake"
///     static func definition(environment: [String: String]) throws -> ServiceDefinition { ... }
/// }
/// ```
///
/// The deployment files run these commands (`layar healthcheck` in compose and the image,
/// `serve` and `migrate` in Kubernetes); `deploy/local/deploy-commands-test.sh` runs each of them, as
/// read from those files, against a local stack.
public protocol ServiceCommand: AsyncParsableCommand {
    /// The service's name, as in `layar-<name>`.
    static var serviceName: String { get }
    /// The service, from the process's environment (throws on a bad setting: exit status 2).
    static func definition(environment: [String: String]) throws -> ServiceDefinition
    /// The service's own commands, beside the runtime's.
    static var serviceSubcommands: [any ParsableCommand.Type] { get }
}

extension ServiceCommand {
    public static var serviceSubcommands: [any ParsableCommand.Type] { [] }

    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "layar-\(serviceName)",
            abstract: "The LAYAR \(serviceName) service (configuration from the environment).",
            subcommands: [
                RuntimeSubcommand<Self, RuntimeCommands.Serve>.self, RuntimeSubcommand<Self, RuntimeCommands.Migrate>.self,
                RuntimeSubcommand<Self, RuntimeCommands.Healthcheck>.self, RuntimeSubcommand<Self, RuntimeCommands.RotateDataKey>.self,
            ] + serviceSubcommands,
            defaultSubcommand: RuntimeSubcommand<Self, RuntimeCommands.Serve>.self
        )
    }
}

/// One of the runtime's commands, as a type: what `RuntimeSubcommand` names and runs.
public protocol RuntimeCommandKind: Sendable {
    static var command: ServiceRunner.Command { get }
    static var abstract: String { get }
}

/// The runtime's commands as types, for ``RuntimeSubcommand``.
public enum RuntimeCommands {
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
        public static let abstract = "Exit 0 when the local gRPC health endpoint answers SERVING, 1 otherwise (container health checks)."
    }

    public enum RotateDataKey: RuntimeCommandKind {
        public static let command = ServiceRunner.Command.rotateDataKey
        public static let abstract = "Announce a new data key for personal data at rest; it seals from five minutes on."
    }
}

/// The runtime's command `Kind` of the executable `Executable`.
public struct RuntimeSubcommand<Executable: ServiceCommand, Kind: RuntimeCommandKind>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.command.rawValue, abstract: Kind.abstract)
    }

    public init() {}

    public func run() async throws {
        await ServiceRunner.main(Kind.command) { try Executable.definition(environment: ProcessInfo.processInfo.environment) }
    }
}
