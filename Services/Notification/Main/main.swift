import LayarRuntime
import LayarNotification

await ServiceRunner.main(NotificationService.definition)
