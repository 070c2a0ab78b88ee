import LayarRuntime
import LayarSurvey

await ServiceRunner.main(SurveyService.definition)
