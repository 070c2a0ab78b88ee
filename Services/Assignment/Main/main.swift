import LayarAssignment
import LayarRuntime

await ServiceRunner.main(AssignmentService.definition)
