import LayarDomain
import LayarSchema

/// Submitting the referral form to intake, shared by the public form and the operators' walk-in
/// form: the answer, or the form state with every problem placed at its input.
enum ReferralSubmission {
    enum Outcome: Sendable {
        case submitted(Layar_V1_SubmitReferralResponse)
        case invalid(FormState, Notice)
    }

    static func submit(
        _ input: FormData, channel: Layar_V1_IntakeChannel, backends: Backends, today: CivilDate
    ) async -> Outcome {
        let built = ReferralFormInput.build(from: input, channel: channel, today: today)
        do {
            let response = try await backends.intake.submitReferral(.with {
                $0.form = built.form
                $0.requestID = input["request_id"]
            }, options: Backends.options)
            return .submitted(response)
        } catch {
            let failure = BackendFailure(error)
            var state = FormState(values: input)
            for (field, message) in failure.fields {
                let name = ReferralFormInput.inputName(for: field, documentInputNames: built.documentInputNames)
                if state.errors[name] == nil { state.errors[name] = message }
            }
            state.errors.merge(built.errors) { _, local in local }
            // Browsers never refill a file input: say so, or the documents would silently go missing.
            if !built.form.documents.isEmpty, state.errors["documents"] == nil {
                state.errors["documents"] = "Pilih lagi berkas dokumen Anda sebelum mengirim ulang (browser tidak menyimpannya)."
            }
            let notice: Notice = failure.code == .invalidArgument
                ? .error("Rujukan belum terkirim: ada isian yang perlu diperbaiki (lihat tanda merah).")
                : .error(failure.message)
            return .invalid(state, notice)
        }
    }
}
