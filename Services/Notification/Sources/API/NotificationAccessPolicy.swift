import LayarRuntime
import LayarSchema

/// Who may call the notification API (Services/README.md's role × RPC table shows the same).
public enum NotificationAccessPolicy {
    public static let policy = AccessPolicy(Layar_V1_NotificationService.descriptor, [
        // A referral's delivery log: to answer an applicant who says they were not told.
        "ListMessages": .staff([.supervisor, .verifier, .caseWorker, .complaintDesk]),
        "ListDeadLetters": .staff([.admin, .supervisor]),
        // Staff inboxes: a caller reads their own (or their role's), checked by the API.
        "ListInbox": .staff(.anyStaff),
        "MarkRead": .staff(.anyStaff),
    ])
}
