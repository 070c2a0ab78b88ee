import Hummingbird
import LayarSchema

/// Verifiers: the queue with filters, a referral's checks and documents, and their decisions;
/// supervisors confirm or send back proposed rejections.
struct VerificationRoutes {
    let portal: Portal
    private var backends: Backends { portal.backends }

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("verifikasi") { request, context in
            let session = try context.staff(.verifier)
            let query = request.uri.queryParameters
            var filters = FormState()
            for name in ["kecamatan", "ppks", "min_priority"] { filters.values.append(query.get(name) ?? "", to: name) }
            do {
                let queue = try await backends.verification.listQueue(.with {
                    $0.kecamatanCode = filters["kecamatan"]
                    $0.ppksKind = filters["ppks"]
                    $0.minPriority = Int32(filters["min_priority"]) ?? 0
                }, options: Backends.options)
                return PageResponse.page("Antrean verifikasi", session, VerificationPages.queue(queue.items, filters: filters))
            } catch {
                return PageResponse.page("Antrean verifikasi", session, VerificationPages.queue([], filters: filters), notice: .error(BackendFailure(error).message))
            }
        }
        staff.get("verifikasi/:id") { _, context in
            let session = try context.staff(.verifier)
            return try await detail(try context.parameters.require("id"), session: session, state: FormState())
        }
        staff.post("verifikasi/:id/putuskan") { request, context in
            _ = try context.staff(.verifier)
            let (input, session) = try await request.staffForm(context: context)
            let id = try context.parameters.require("id")
            let decide = Layar_V1_DecideRequest.with {
                $0.referralID = id
                switch input["decision"] {
                case "verify": $0.verify = .with { $0.note = input["note"] }
                case "request_information":
                    $0.requestInformation = .with {
                        $0.message = input["note"]
                        $0.missingDocuments = input.all("missing_documents").compactMap { Int($0).flatMap(Layar_V1_DocumentKind.init(rawValue:)) }
                    }
                case "propose_rejection":
                    $0.proposeRejection = .with {
                        $0.note = input["note"]
                        $0.reason = Int(input["reason"]).flatMap(Layar_V1_RejectionReason.init(rawValue:)) ?? .unspecified
                    }
                default: break
                }
            }
            do {
                _ = try await backends.verification.decide(decide, options: Backends.options)
                return Response.redirect(to: "/staf/verifikasi/\(id)?disimpan=1")
            } catch {
                let failure = BackendFailure(error)
                let errors = failure.fields.reduce(into: [String: String]()) { errors, pair in
                    let name = switch pair.key {
                    case let key where key.hasSuffix("reason"): "reason"
                    case let key where key.hasSuffix("note") || key.hasSuffix("message"): "note"
                    case "decision": "decision"
                    default: "decision"
                    }
                    errors[name] = pair.value
                }
                return try await detail(id, session: session, state: FormState(values: input, errors: errors), notice: .error(failure.message))
            }
        }
        staff.post("verifikasi/:id/konfirmasi") { request, context in
            _ = try context.staff(.supervisor)
            let (input, session) = try await request.staffForm(context: context)
            let id = try context.parameters.require("id")
            do {
                _ = try await backends.verification.confirmRejection(.with {
                    $0.referralID = id
                    $0.confirm = input["confirm"] == "ya"
                    $0.note = input["note"]
                }, options: Backends.options)
                return Response.redirect(to: "/staf/verifikasi/\(id)?disimpan=1")
            } catch {
                return try await detail(id, session: session, state: FormState(values: input), notice: .error(BackendFailure(error).message))
            }
        }
    }

    private func detail(_ id: String, session: StaffSession, state: FormState, notice: Notice? = nil) async throws -> Response {
        let found: Layar_V1_VerificationCase
        do {
            found = try await backends.verification.getCase(.with { $0.referralID = id }, options: Backends.options)
        } catch {
            throw HTTPError(.notFound)
        }
        // Documents stay in intake; verification knows only their kinds.
        let summary = try? await backends.intake.getReferral(.with { $0.referralID = id }, options: Backends.options)
        return PageResponse.page("Verifikasi \(found.trackingCode)", session,
                    VerificationPages.detail(found, documents: summary?.documents ?? [], staff: session, state: state),
                    notice: notice, status: notice == nil ? .ok : .unprocessableContent)
    }

}
