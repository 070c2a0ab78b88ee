import LayarRuntime
import LayarSchema

/// Who may call the survey API (Services/README.md's role × RPC table shows the same).
public enum SurveyAccessPolicy {
    static let complaintHandling: Access = .staff([.supervisor, .complaintDesk])

    public static let policy = AccessPolicy(Layar_V1_SurveyService.descriptor, [
        // The respondent, proven by the survey code from the invitation.
        "GetQuestionnaire": .public,
        "SubmitResponse": .public,
        // Anyone may complain, anonymously too.
        "FileComplaint": .public,
        "GetInvitation": .staff([.supervisor, .caseWorker, .complaintDesk]),
        "RecordPaperResponse": .staff([.supervisor, .operator, .complaintDesk]),
        "GetComplaint": complaintHandling,
        "ListComplaints": complaintHandling,
        "ActOnComplaint": complaintHandling,
        "GetIKMReport": .staff([.admin, .supervisor, .complaintDesk, .monitoring]),
        "GetMonitoringReport": .staff([.admin, .supervisor, .monitoring]),
    ])
}
