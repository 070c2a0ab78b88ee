import Hummingbird
import LayarSchema

/// The complaint desk: the list (overdue first to see), one complaint, and its actions.
struct ComplaintDeskRoutes {
    let portal: Portal
    private var survey: Layar_V1_SurveyService.Client<Backends.Transport> { portal.backends.survey }

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("pengaduan") { request, context in
            let session = try context.staff(.complaintDesk)
            let overdue = request.uri.queryParameters.get("terlambat") == "1"
            do {
                let list = try await survey.listComplaints(.with { $0.overdueOnly = overdue }, options: Backends.options)
                return PageResponse.page("Pengaduan", staff: session, body: ComplaintDeskPages.list(list.complaints, overdueOnly: overdue))
            } catch {
                return PageResponse.page("Pengaduan", staff: session, notice: .error(BackendFailure(error).message), body: .empty)
            }
        }
        staff.get("pengaduan/:id") { request, context in
            let session = try context.staff(.complaintDesk)
            let saved = request.uri.queryParameters.get("disimpan") != nil
            return try await detail(try context.parameters.require("id"), session: session, state: FormState(), notice: saved ? .success("Tersimpan.") : nil)
        }
        staff.post("pengaduan/:id") { request, context in
            _ = try context.staff(.complaintDesk)
            let (input, session) = try await request.staffForm(context: context)
            let id = try context.parameters.require("id")
            do {
                _ = try await survey.actOnComplaint(.with {
                    $0.complaintID = id
                    $0.action = Int(input["action"]).flatMap(Layar_V1_ComplaintAction.init(rawValue:)) ?? .unspecified
                    $0.handlerID = input["handler_id"]
                    $0.text = input["text"]
                }, options: Backends.options)
                return Response.redirect(to: "/staf/pengaduan/\(id)?disimpan=1")
            } catch {
                let failure = BackendFailure(error)
                return try await detail(id, session: session, state: FormState(values: input, errors: failure.fields),
                                        notice: .error(failure.message), status: .unprocessableContent)
            }
        }
    }

    private func detail(_ id: String, session: StaffSession, state: FormState, notice: Notice?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let complaint: Layar_V1_Complaint
        do {
            complaint = try await survey.getComplaint(.with { $0.complaintID = id }, options: Backends.options)
        } catch {
            throw HTTPError(.notFound)
        }
        return PageResponse.page("Pengaduan \(complaint.reference)", staff: session, notice: notice,
                                 body: ComplaintDeskPages.detail(complaint, staff: session, state: state), status: status)
    }
}
