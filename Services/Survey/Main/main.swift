import Foundation
import LayarRuntime
import LayarSurvey

await ServiceRunner.main { try SurveyService.definition(environment: ProcessInfo.processInfo.environment) }
