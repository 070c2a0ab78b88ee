import LayarRuntime
import LayarSurvey

/// `layar-survey`: the runtime's commands (serve, migrate, healthcheck, rotate-data-key).
@main
struct SurveyCommand: ServiceCommand {
    static let serviceName = "survey"

    static func definition(environment: [String: String]) throws -> ServiceDefinition {
        try SurveyService.definition(environment: environment)
    }
}
