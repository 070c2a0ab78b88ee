import LayarRuntime
import LayarAssignment

/// `layar-assignment`: the runtime's commands (serve, migrate, healthcheck, rotate-data-key).
@main
struct AssignmentCommand: ServiceCommand {
    static let serviceName = "assignment"

    static func definition(environment: [String: String]) throws -> ServiceDefinition {
        try AssignmentService.definition(environment: environment)
    }
}
