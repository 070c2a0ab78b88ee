import Foundation
import LayarNotification
import LayarRuntime

await ServiceRunner.main { try NotificationService.definition(environment: ProcessInfo.processInfo.environment) }
