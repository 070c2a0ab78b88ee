import GRPCCore
import Hummingbird
import LayarSchema

/// Case workers and supervisors: the caseload, one case, and each step of the workflow. The
/// assignment service records the signed-in user (from the call's staff token) as who acted.
struct CaseRoutes {
    let portal: Portal
    private var assignment: Layar_V1_AssignmentService.Client<Backends.Transport> { portal.backends.assignment }

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("kasus") { request, context in
            let session = try context.staff(.caseWorker)
            let query = request.uri.queryParameters
            var filters = FormState()
            filters.values.append(query.get("semua") ?? "", to: "semua")
            filters.values.append(query.get("tenggat") ?? "", to: "tenggat")
            let everyone = session.has(.supervisor) && filters["semua"] == "1"
            do {
                let cases = try await assignment.listCases(.with {
                    $0.caseWorkerID = everyone ? "" : (session.caseWorkerID.isEmpty ? "-" : session.caseWorkerID)
                    $0.dueWithinDays = Int32(filters["tenggat"]) ?? 0
                }, options: Backends.options)
                return PageResponse.page("Kasus", session, CasePages.list(cases.cases, filters: filters, staff: session))
            } catch {
                return PageResponse.page("Kasus", session, CasePages.list([], filters: filters, staff: session), notice: .error(BackendFailure(error).message))
            }
        }
        staff.get("kasus/:id") { request, context in
            let session = try context.staff(.caseWorker)
            let saved = request.uri.queryParameters.get("disimpan") != nil
            return try await detail(try context.parameters.require("id"), session: session, state: FormState(),
                                    notice: saved ? .success("Tersimpan.") : nil)
        }
        action("asesmen", rename: [:]) { input, id in
            _ = try await assignment.recordAssessment(.with {
                $0.referralID = id
                $0.needs = input["needs"]
                $0.plan = input["plan"]
                $0.route = switch input["route"] { case "refer": .refer; case "serve_locally": .serveLocally; default: .unspecified }
                $0.service = Int(input["service"]).flatMap(Layar_V1_Need.init(rawValue:)) ?? .unspecified
            }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("tawaran", rename: ["institution_code": "institution"]) { input, id in
            _ = try await assignment.sendOffer(.with {
                $0.referralID = id
                $0.institutionCode = input["institution"]
                $0.letterNumber = input["letter_number"]
                $0.summary = input["summary"]
                $0.personName = input["person_name"]
            }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("tarik", rename: [:]) { input, id in
            _ = try await assignment.revokeOffer(.with { $0.referralID = id; $0.reason = input["reason"] }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("kemajuan", rename: [:]) { input, id in
            _ = try await assignment.recordProgress(.with {
                $0.referralID = id
                $0.step = Int(input["step"]).flatMap(Layar_V1_ProgressStep.init(rawValue:)) ?? .unspecified
                $0.note = input["note"]
            }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("hasil", rename: [:]) { input, id in
            _ = try await assignment.recordOutcome(.with {
                $0.referralID = id
                $0.outcome = Int(input["outcome"]).flatMap(Layar_V1_ServiceOutcome.init(rawValue:)) ?? .unspecified
                $0.note = input["note"]
            }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("selesai", rename: ["outcome": "outcome_summary"]) { input, id in
            _ = try await assignment.completeCase(.with { $0.referralID = id; $0.outcome = input["outcome_summary"] }, options: Backends.options)
        }.add(to: staff, routes: self)
        action("tutup", rename: ["reason": "close_reason"]) { input, id in
            _ = try await assignment.closeCase(.with { $0.referralID = id; $0.reason = input["close_reason"] }, options: Backends.options)
        }.add(to: staff, routes: self)
    }

    /// One workflow step: `POST /staf/kasus/:id/<path>`, back to the case page when it worked,
    /// or the case page with the service's field problems at the inputs (`rename` maps a
    /// request field to the input it came from).
    private func action(
        _ path: String, rename: [String: String],
        _ call: @escaping @Sendable (FormData, String) async throws -> Void
    ) -> CaseAction {
        CaseAction(path: path, rename: rename, call: call)
    }

    struct CaseAction {
        let path: String
        let rename: [String: String]
        let call: @Sendable (FormData, String) async throws -> Void

        func add(to staff: RouterGroup<PortalRequestContext>, routes: CaseRoutes) {
            staff.post("kasus/:id/\(path)") { request, context in
                _ = try context.staff(.caseWorker)
                let (input, session) = try await request.staffForm(context: context)
                let id = try context.parameters.require("id")
                do {
                    try await call(input, id)
                    return Response.redirect(to: "/staf/kasus/\(id)?disimpan=1")
                } catch {
                    let failure = BackendFailure(error)
                    var state = FormState(values: input)
                    for (field, message) in failure.fields { state.errors[rename[field] ?? field] = message }
                    return try await routes.detail(id, session: session, state: state, notice: .error(failure.message), status: .unprocessableContent)
                }
            }
        }
    }

    func detail(_ id: String, session: StaffSession, state: FormState, notice: Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let found: Layar_V1_Case
        do {
            found = try await assignment.getCase(.with { $0.referralID = id }, options: Backends.options)
        } catch {
            throw HTTPError(.notFound)
        }
        var suggestions: [Layar_V1_Institution] = []
        if found.status == .assessed && found.route == .refer {
            suggestions = (try? await assignment.suggestInstitutions(.with { $0.referralID = id }, options: Backends.options).institutions) ?? []
        }
        return PageResponse.page("Kasus \(found.caseID.prefix(8))", session, CasePages.detail(found, suggestions: suggestions, staff: session, state: state),
                    notice: notice, status: status)
    }

}
