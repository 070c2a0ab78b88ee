import Foundation
import LayarDomain

/// The working-day deadlines of a case: verified → assigned, assigned → assessed, and
/// offer → the institution's answer. Each ends at midnight WITA after its last working day.
struct DeadlinePolicy: Sendable {
    var assignmentDays = 1
    var assessmentDays = 5
    var partnerAnswerDays = 3
    var calendar = WorkingCalendar()

    func assignmentDue(openedAt: Date) -> Date {
        calendar.deadline(workingDays: assignmentDays, after: openedAt)
    }

    func assessmentDue(assignedAt: Date) -> Date {
        calendar.deadline(workingDays: assessmentDays, after: assignedAt)
    }

    func answerDue(sentAt: Date) -> Date {
        calendar.deadline(workingDays: partnerAnswerDays, after: sentAt)
    }
}
