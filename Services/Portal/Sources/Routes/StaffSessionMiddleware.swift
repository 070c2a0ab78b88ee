import Foundation
import Hummingbird

/// Guards the staff console: reads the session cookie, sends a visitor without a session to the
/// login page, and refuses a form post whose CSRF token is not the session's.
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    static let cookieName = "layar_staf"
    let accounts: StaffAccounts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[Self.cookieName]?.value,
              let session = try await accounts.session(token: token) else {
            let back = request.uri.path.hasPrefix("/staf") ? request.uri.path : "/staf"
            return .redirect(to: "/staf/masuk?kembali=\(back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        var context = context
        context.staff = session
        return try await StaffSession.$current.withValue(session) { try await next(request, context) }
    }
}
