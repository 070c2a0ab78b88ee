import LayarRuntime
import LayarSchema

/// The survey service: invites citizens to the satisfaction survey (SKM) after service.
public enum SurveyService {
    public static let definition = ServiceDefinition(
        name: "survey", defaultPort: 50055, migrations: SurveyMigrations.all,
        consumers: [
            ConsumerDefinition(
                name: "completed", topics: [LayarTopic.assignmentCases.rawValue],
                handler: { CompletedCaseInviter(store: SurveyStore(pool: $0.pool, outbox: $0.outbox)) }
            )
        ],
        apiNames: [Layar_V1_SurveyService.descriptor.fullyQualifiedService],
        api: { [SurveyAPI(store: SurveyStore(pool: $0.pool, outbox: $0.outbox))] }
    )
}
