import LayarIntake
import LayarRuntime

await ServiceRunner.main(IntakeService.definition)
