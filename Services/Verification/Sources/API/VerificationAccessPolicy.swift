import LayarRuntime
import LayarSchema

/// Who may call the verification API (Services/README.md's role × RPC table shows the same).
public enum VerificationAccessPolicy {
    public static let policy = AccessPolicy(Layar_V1_VerificationService.descriptor, [
        "GetVerification": .staff([.supervisor, .verifier, .caseWorker]),
        "ListQueue": .staff([.supervisor, .verifier]),
        "GetCase": .staff([.supervisor, .verifier]),
        "Decide": .staff([.supervisor, .verifier]),
        // A rejection takes a second person: a supervisor confirms it.
        "ConfirmRejection": .staff([.supervisor]),
        "GetRegistrySnapshot": .staff([.admin, .supervisor, .verifier]),
    ])
}
