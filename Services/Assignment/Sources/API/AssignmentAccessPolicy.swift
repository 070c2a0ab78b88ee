import LayarRuntime
import LayarSchema

/// Who may call the assignment and partner APIs (Services/README.md's role × RPC table shows the same).
/// Case workers reach only their own cases (checked per case by the API).
public enum AssignmentAccessPolicy {
    static let caseWork: Access = .staff([.supervisor, .caseWorker])

    public static let policies = [
        AccessPolicy(Layar_V1_AssignmentService.descriptor, [
            "GetCase": caseWork,
            "ListUnassignedCases": .staff([.supervisor]),
            "ListCases": caseWork,
            "ReassignCase": .staff([.supervisor]),
            "RecordAssessment": caseWork,
            "SuggestInstitutions": caseWork,
            "SendOffer": caseWork,
            "RevokeOffer": caseWork,
            "RecordProgress": caseWork,
            "RecordOutcome": caseWork,
            "CompleteCase": caseWork,
            "CloseCase": caseWork,
            "ListCaseWorkers": .staff([.admin, .supervisor]),
            "UpsertCaseWorker": .staff([.admin, .supervisor]),
            "ListInstitutions": .staff([.admin, .supervisor, .caseWorker]),
            "UpsertInstitution": .staff([.admin]),
            "IssuePartnerKey": .staff([.admin]),
        ]),
        // Partner agencies by their key, each bound to its own offers.
        AccessPolicy(Layar_V1_PartnerService.descriptor, [
            "ListOffers": .partner,
            "AnswerOffer": .partner,
            "RecordAdmission": .partner,
            "RecordPartnerOutcome": .partner,
            "UpdateCapacity": .partner,
        ]),
    ]
}
