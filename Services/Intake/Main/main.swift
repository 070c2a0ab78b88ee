import Foundation
import LayarIntake
import LayarRuntime

await ServiceRunner.main { try IntakeService.definition(environment: ProcessInfo.processInfo.environment) }
