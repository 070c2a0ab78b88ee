import Foundation
import GRPCCore
import Hummingbird
import LayarDomain
import LayarRuntime
import LayarSchema

/// The public pages: submit a referral, follow it, answer the survey, file a complaint. Each
/// post calls one service and shows its answer, or the same form again with every problem next
/// to its input.
struct CitizenRoutes {
    let portal: Portal
    private var backends: Backends { portal.backends }

    func add(to router: Router<PortalRequestContext>) {
        router.get("/") { _, _ in page("Layanan Rujukan Rehabilitasi Sosial", HomePage.body) }
        router.get("/rujukan") { _, _ in referralForm(FormState()) }
        router.post("/rujukan") { request, context in try await submit(request.form(context: context)) }
        // No `?kode=` prefill: tracking codes stay out of URLs (and so out of proxy logs and history).
        router.get("/lacak") { _, _ in page("Lacak rujukan", TrackingPages.form(state: FormState())) }
        router.post("/lacak") { request, context in try await track(request.form(context: context)) }
        router.post("/lacak/dokumen") { request, context in try await addDocuments(request.form(context: context)) }
        router.post("/lacak/batal") { request, context in try await withdraw(request.form(context: context)) }
        router.get("/survei") { request, _ in
            var state = FormState()
            state.values.append(request.uri.queryParameters.get("kode") ?? "", to: "code")
            return try await surveyForm(state)
        }
        router.post("/survei") { request, context in try await answerSurvey(request.form(context: context)) }
        router.get("/pengaduan") { _, _ in page("Pengaduan", ComplaintPages.form(state: FormState())) }
        router.post("/pengaduan") { request, context in try await fileComplaint(request.form(context: context), staff: nil) }
    }

    private func page(_ title: String, _ body: HTML, notice: Notice? = nil, status: HTTPResponse.Status = .ok) -> Response {
        PageResponse.page(title, notice: notice, body: body, status: status)
    }

    // MARK: Referral

    private func referralForm(_ state: FormState, notice: Notice? = nil, status: HTTPResponse.Status = .ok) -> Response {
        page("Ajukan rujukan", ReferralFormPage.body(state: state, action: "/rujukan"), notice: notice, status: status)
    }

    private func submit(_ input: FormData) async throws -> Response {
        let outcome = await ReferralSubmission.submit(input, channel: .web, backends: backends, today: portal.today())
        switch outcome {
        case .submitted(let response):
            return page("Rujukan terkirim", ConfirmationPage.body(response), notice: .success("Rujukan Anda sudah kami terima."))
        case .invalid(let state, let notice):
            return referralForm(state, notice: notice, status: .unprocessableContent)
        }
    }

    // MARK: Tracking

    private func trackingKey(_ input: FormData) -> (key: Layar_V1_TrackingKey, errors: [String: String]) {
        var errors: [String: String] = [:]
        let code = input["tracking_code"].uppercased()
        if code.isEmpty { errors["tracking_code"] = "Kode pelacakan wajib diisi" }
        let pin = input["pin"].trimmingCharacters(in: .whitespaces)
        if pin.isEmpty { errors["pin"] = "Isi PIN 6 angka yang diberikan bersama kode pelacakan" }
        let key = Layar_V1_TrackingKey.with {
            $0.trackingCode = code
            $0.pin = pin
        }
        return (key, errors)
    }

    private func track(_ input: FormData) async throws -> Response {
        let (key, errors) = trackingKey(input)
        guard errors.isEmpty else { return trackingForm(input, errors: errors, notice: nil) }
        do {
            let view = try await backends.intake.getStatus(.with { $0.key = key }, options: Backends.options)
            return page("Status rujukan", TrackingPages.status(view, pin: key.pin))
        } catch {
            return trackingFailure(input, error)
        }
    }

    private func trackingForm(_ input: FormData, errors: [String: String], notice: Notice?) -> Response {
        page("Lacak rujukan", TrackingPages.form(state: FormState(values: input, errors: errors)), notice: notice, status: .unprocessableContent)
    }

    /// The service answers the same NOT_FOUND for a wrong code and a wrong PIN (nothing to learn
    /// by guessing); the page says so in words.
    private func trackingFailure(_ input: FormData, _ error: any Error) -> Response {
        let failure = BackendFailure(error)
        let message = switch failure.code {
        case .notFound: "Kode pelacakan atau PIN tidak cocok. Periksa lagi keduanya."
        default: failure.message
        }
        let errors = failure.fields.reduce(into: [String: String]()) { errors, pair in
            errors[pair.key.hasSuffix("pin") ? "pin" : "tracking_code"] = pair.value
        }
        return trackingForm(input, errors: errors, notice: .error(message))
    }

    private func addDocuments(_ input: FormData) async throws -> Response {
        let (key, errors) = trackingKey(input)
        guard errors.isEmpty else { return trackingForm(input, errors: errors, notice: nil) }
        let (documents, names) = ReferralFormInput.documents(from: input)
        do {
            let view = try await backends.intake.addDocuments(.with { $0.key = key; $0.documents = documents }, options: Backends.options)
            return page("Status rujukan", TrackingPages.status(view, pin: key.pin), notice: .success("Dokumen sudah diterima dan akan diperiksa lagi."))
        } catch {
            let failure = BackendFailure(error)
            guard failure.code == .invalidArgument,
                  let view = try? await backends.intake.getStatus(.with { $0.key = key }, options: Backends.options) else {
                return trackingFailure(input, error)
            }
            var state = FormState(values: input)
            for (field, message) in failure.fields {
                state.errors[ReferralFormInput.inputName(for: field, documentInputNames: names)] = message
            }
            return page("Status rujukan", TrackingPages.status(view, pin: key.pin, state: state),
                        notice: .error(failure.message), status: .unprocessableContent)
        }
    }

    private func withdraw(_ input: FormData) async throws -> Response {
        let (key, errors) = trackingKey(input)
        guard errors.isEmpty else { return trackingForm(input, errors: errors, notice: nil) }
        do {
            let view = try await backends.intake.withdrawReferral(.with { $0.key = key; $0.reason = input["reason"] }, options: Backends.options)
            return page("Status rujukan", TrackingPages.status(view, pin: key.pin), notice: .success("Rujukan sudah dibatalkan."))
        } catch {
            return trackingFailure(input, error)
        }
    }

    // MARK: Survey

    private func surveyForm(_ state: FormState, notice: Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        do {
            let questionnaire = try await backends.survey.getQuestionnaire(.init(), options: Backends.options)
            return page("Survei kepuasan", SurveyPages.form(questionnaire, state: state), notice: notice, status: status)
        } catch {
            return page("Survei kepuasan", "<p><a href=\"/survei\">Muat ulang</a></p>", notice: .error(BackendFailure(error).message), status: .serviceUnavailable)
        }
    }

    private func answerSurvey(_ input: FormData) async throws -> Response {
        var errors: [String: String] = [:]
        var answers: [Layar_V1_ElementAnswer] = []
        for element in 1...9 {
            if let score = Int32(input["u\(element)"]), (1...4).contains(score) {
                answers.append(.with { $0.element = Layar_V1_SurveyElement(rawValue: element) ?? .unspecified; $0.score = score })
            } else {
                errors["u\(element)"] = "Pilih salah satu jawaban"
            }
        }
        if input["code"].isEmpty { errors["code"] = "Kode survei wajib diisi" }
        guard errors.isEmpty else { return try await surveyForm(FormState(values: input, errors: errors), status: .unprocessableContent) }
        do {
            _ = try await backends.survey.submitResponse(.with {
                $0.code = input["code"].uppercased()
                $0.answers = answers
                $0.suggestion = input["suggestion"]
                $0.profile = .with { $0.sex = Int(input["sex"]).flatMap(Layar_V1_Sex.init(rawValue:)) ?? .unspecified }
            }, options: Backends.options)
            return page("Survei kepuasan", SurveyPages.thanks)
        } catch {
            let failure = BackendFailure(error)
            var state = FormState(values: input)
            for (field, message) in failure.fields {
                state.errors[field.hasPrefix("answers") ? "u1" : (field == "code" ? "code" : field)] = message
            }
            if state.errors.isEmpty, failure.code == .notFound || failure.code == .failedPrecondition {
                state.errors["code"] = failure.message
            }
            return try await surveyForm(state, notice: .error(failure.message), status: .unprocessableContent)
        }
    }

    // MARK: Complaints

    func fileComplaint(_ input: FormData, staff: StaffSession?) async throws -> Response {
        let anonymous = input.isChecked("anonymous")
        let request = Layar_V1_FileComplaintRequest.with {
            $0.description_p = input["description"]
            $0.category = Int(input["category"]).flatMap(Layar_V1_ComplaintCategory.init(rawValue:)) ?? .unspecified
            $0.channel = staff == nil ? .web : .operator
            $0.trackingCode = input["tracking_code"].uppercased()
            $0.anonymous = anonymous
            $0.name = anonymous ? "" : input["name"]
            $0.phone = anonymous ? "" : input["phone"]
        }
        do {
            let complaint = try await backends.survey.fileComplaint(request, options: Backends.options)
            return PageResponse.html(Layout.page(
                title: "Pengaduan terkirim", staff: staff, notice: .success("Pengaduan Anda sudah kami terima."),
                body: ComplaintPages.filed(complaint)
            ))
        } catch {
            let failure = BackendFailure(error)
            let state = FormState(values: input, errors: failure.fields)
            return PageResponse.html(
                Layout.page(title: "Pengaduan", staff: staff, notice: .error(failure.message), body: ComplaintPages.form(state: state, staff: staff)),
                status: .unprocessableContent
            )
        }
    }
}
