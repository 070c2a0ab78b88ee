import LayarRuntime
import LayarIntake

/// `layar-intake`: the runtime's commands (serve, migrate, healthcheck, rotate-data-key).
@main
struct IntakeCommand: ServiceCommand {
    static let serviceName = "intake"

    static func definition(environment: [String: String]) throws -> ServiceDefinition {
        try IntakeService.definition(environment: environment)
    }
}
