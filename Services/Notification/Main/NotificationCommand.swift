import LayarRuntime
import LayarNotification

/// `layar-notification`: the runtime's commands (serve, migrate, healthcheck, rotate-data-key).
@main
struct NotificationCommand: ServiceCommand {
    static let serviceName = "notification"

    static func definition(environment: [String: String]) throws -> ServiceDefinition {
        try NotificationService.definition(environment: environment)
    }
}
