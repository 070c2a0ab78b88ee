import Foundation
import LayarAssignment
import LayarRuntime

await ServiceRunner.main { try AssignmentService.definition(environment: ProcessInfo.processInfo.environment) }
