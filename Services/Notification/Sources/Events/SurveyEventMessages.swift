import LayarRuntime
import LayarSchema

/// Survey's invitation: the applicant gets the single-use code (and a link to the portal's survey
/// page when the portal's address is configured). Only the applicant: staff never see the code.
struct SurveyEventMessages {
    let applicants: ApplicantMessages
    let portalURL: String

    var router: EventRouter {
        EventRouter().on(Layar_V1_SurveyInvitationCreated.self) { invited, event, connection in
            var values = ["surveyCode": invited.code]
            if !portalURL.isEmpty { values["surveyLink"] = "\(portalURL)/survei?kode=\(invited.code)" }
            try await applicants.tell(.surveyInvited, about: invited.referralID, values: values, event: event, on: connection)
        }
    }
}
