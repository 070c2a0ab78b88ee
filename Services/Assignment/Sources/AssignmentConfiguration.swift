import LayarDomain
import LayarRuntime

/// The assignment service's own settings (beyond ``ServiceConfiguration``), from the environment.
public struct AssignmentConfiguration: Sendable {
    /// `LAYAR_ASSIGNMENT_DEADLINE_DAYS` (1), `LAYAR_ASSESSMENT_DEADLINE_DAYS` (5) and
    /// `LAYAR_PARTNER_ANSWER_DAYS` (3), in working days; `LAYAR_HOLIDAYS` the holiday calendar.
    var deadlines: DeadlinePolicy
    /// `LAYAR_DEADLINE_SWEEP_SECONDS` (60): how often deadlines are checked.
    var sweepInterval: Duration
    /// `LAYAR_OFFICE_CONTACT`: the office phone or e-mail named in offers.
    var officeContact: String

    public static func fromEnvironment(_ environment: [String: String]) throws -> AssignmentConfiguration {
        var reader = EnvironmentReader(environment)
        var deadlines = DeadlinePolicy()
        deadlines.assignmentDays = reader.integer("LAYAR_ASSIGNMENT_DEADLINE_DAYS", default: 1, in: 1...60)
        deadlines.assessmentDays = reader.integer("LAYAR_ASSESSMENT_DEADLINE_DAYS", default: 5, in: 1...60)
        deadlines.partnerAnswerDays = reader.integer("LAYAR_PARTNER_ANSWER_DAYS", default: 3, in: 1...60)
        deadlines.calendar = reader.workingCalendar()
        let sweep = reader.integer("LAYAR_DEADLINE_SWEEP_SECONDS", default: 60, in: 1...3600)
        let contact = reader.optional("LAYAR_OFFICE_CONTACT", default: "Dinas Sosial Kabupaten Balangan")
        try reader.validate()
        return AssignmentConfiguration(deadlines: deadlines, sweepInterval: .seconds(sweep), officeContact: contact)
    }
}
