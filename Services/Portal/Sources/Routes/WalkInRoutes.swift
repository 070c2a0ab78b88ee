import Foundation
import Hummingbird

/// Operators at the office entering a walk-in referral for a citizen: the public form, recorded
/// with the operator channel, the operator's id and written consent.
struct WalkInRoutes {
    let portal: Portal

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("rujukan-baru") { _, context in
            let session = try context.staff(.operator)
            return form(FormState(), staff: session)
        }
        staff.post("rujukan-baru") { request, context in
            _ = try context.staff(.operator)
            let (input, session) = try await request.staffForm(context: context)
            switch await ReferralSubmission.submit(input, channel: .operator, backends: portal.backends, today: portal.today()) {
            case .submitted(let response):
                return PageResponse.page("Rujukan tercatat", staff: session, notice: .success("Rujukan sudah dicatat."),
                                         body: ConfirmationPage.body(response, staff: session))
            case .invalid(let state, let notice):
                return form(state, staff: session, notice: notice, status: .unprocessableContent)
            }
        }
    }

    private func form(_ state: FormState, staff: StaffSession, notice: Notice? = nil, status: HTTPResponse.Status = .ok) -> Response {
        PageResponse.page("Rujukan di kantor", staff: staff, notice: notice,
                                 body: ReferralFormPage.body(state: state, action: "/staf/rujukan-baru", staff: staff), status: status)
    }
}
