import LayarRuntime
import LayarVerification

await ServiceRunner.main(VerificationService.definition)
