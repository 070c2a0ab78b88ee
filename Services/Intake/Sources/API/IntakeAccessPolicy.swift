import LayarRuntime
import LayarSchema

/// Who may call the intake API (Services/README.md's role × RPC table shows the same).
public enum IntakeAccessPolicy {
    public static let policy = AccessPolicy(Layar_V1_IntakeService.descriptor, [
        // Citizens, relatives, village officials and the office's walk-in desk (through the portal).
        "SubmitReferral": .public,
        // The applicant, proven by the tracking code with its PIN.
        "GetStatus": .public,
        "AddDocuments": .public,
        "WithdrawReferral": .public,
        "GetReferral": .staff([.supervisor, .verifier, .caseWorker, .operator, .complaintDesk]),
        // Documents (identity cards, medical letters) only to those who decide on the case.
        "GetDocument": .staff([.supervisor, .verifier, .caseWorker]),
    ])

    /// Data-subject requests reach every service's data: administrators only.
    public static let dataSubjects = AccessPolicy(Layar_V1_DataSubjectService.descriptor, [
        "OpenDataSubjectRequest": .staff([.admin]),
        "GetDataSubjectRequest": .staff([.admin]),
    ])
}
