import LayarRuntime
import LayarSchema

/// Assignment's events: the applicant hears who their case worker is, of the admission and the
/// completion; the case worker gets the case; supervisors hear of missed deadlines; offers go to
/// ``OfferMessages``.
struct CaseEventMessages {
    let applicants: ApplicantMessages
    let staff: StaffMessages
    let offers: OfferMessages

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_CaseAssigned.self) { assigned, event, connection in
                try await staff.tell(.caseForWorker, [.caseWorker(id: assigned.caseWorkerID)], about: assigned.referralID, event: event, on: connection)
                try await applicants.tell(
                    .assigned, about: assigned.referralID, values: ["worker": assigned.caseWorkerName], event: event, on: connection
                )
            }
            .on(Layar_V1_CaseTransitioned.self) { transitioned, event, connection in
                try await offers.tell(transitioned, event: event, on: connection)
                if transitioned.transition.type == .admitted {
                    try await applicants.tell(.admitted, about: transitioned.referralID, event: event, on: connection)
                }
            }
            .on(Layar_V1_CaseDeadlineMissed.self) { missed, event, connection in
                let deadline = switch missed.deadline {
                case .assignment: "penetapan pendamping"
                case .assessment: "asesmen"
                default: "jawaban lembaga \(missed.institutionCode)"
                }
                try await staff.tell(
                    .deadlineForSupervisor, [.role(.supervisor)], about: missed.referralID, values: ["deadline": deadline], event: event, on: connection
                )
            }
            .on(Layar_V1_CaseCompleted.self) { completed, event, connection in
                try await applicants.tell(.completed, about: completed.referralID, event: event, on: connection)
            }
    }
}
