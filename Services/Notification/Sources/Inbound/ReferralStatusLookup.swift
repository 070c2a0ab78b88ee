import GRPCCore
import LayarRuntime
import LayarSchema

/// What intake answers for a tracking code and PIN.
enum StatusAnswer: Equatable, Sendable {
    case status(trackingCode: String, explanation: String)
    /// The code or the PIN does not match (intake gives one answer for both).
    case notMatched
    /// Intake locked the code after too many wrong PINs.
    case tooManyAttempts
}

/// The referral status an applicant may see, asked of the service that owns it.
protocol ReferralStatusLookup: Sendable {
    func status(trackingCode: String, pin: String) async throws -> StatusAnswer
}

/// Intake's public `GetStatus`, the same call the portal's tracking page makes: the PIN is checked
/// and wrong attempts are counted there, not here.
struct IntakeStatusLookup: ReferralStatusLookup {
    let address: ServiceAddress

    func status(trackingCode: String, pin: String) async throws -> StatusAnswer {
        try await address.withClient { client in
            let intake = Layar_V1_IntakeService.Client(wrapping: client)
            do {
                let view = try await intake.getStatus(.with {
                    $0.key.trackingCode = trackingCode
                    $0.key.pin = pin
                })
                // The view's note can be empty (a status without one); the timeline's last step
                // always explains itself.
                let explanation = view.explanation.isEmpty ? view.timeline.last?.explanation ?? "" : view.explanation
                return .status(trackingCode: view.trackingCode, explanation: explanation)
            } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
                return .notMatched
            } catch let error as RPCError where error.code == .resourceExhausted {
                return .tooManyAttempts
            }
        }
    }
}
