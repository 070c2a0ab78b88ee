import LayarRuntime
import Foundation
import Hummingbird

/// Signing in and out of the staff console. The session cookie is HttpOnly and SameSite=Strict;
/// every form in the console also carries the session's CSRF token.
struct StaffLoginRoutes {
    let portal: Portal

    func add(to router: Router<PortalRequestContext>) {
        router.get("/staf/masuk") { request, _ in
            var state = FormState()
            state.values.append(request.uri.queryParameters.get("kembali") ?? "/staf", to: "kembali")
            return page(state)
        }
        router.post("/staf/masuk") { request, context in
            let input = try await request.form(context: context)
            let username = input["username"].lowercased()
            // Guessing is limited per address and per username before any hash is spent.
            guard try await portal.limiter.admit(context.clientAddress ?? "unknown", portal.loginLimits.perAddress),
                  try await portal.limiter.admit(username, portal.loginLimits.perUsername)
            else {
                return PublicFormThrottle.tooMany(
                    window: portal.loginLimits.perAddress.window,
                    text: "Terlalu banyak percobaan masuk. Silakan coba lagi dalam 10 menit."
                )
            }
            switch try await portal.accounts.logIn(username: username, password: input.fields["password"]?.first ?? "") {
            case .signedIn(let token, _):
                var response = Response.redirect(to: Self.safeReturn(input["kembali"]))
                response.setCookie(Cookie(
                    name: StaffSessionMiddleware.cookieName, value: token, path: "/staf",
                    secure: portal.secureCookies, httpOnly: true, sameSite: .strict
                ))
                return response
            case .refused, .locked:
                // A locked account answers as a wrong password does: the page tells a guesser nothing
                // about which accounts exist or are locked.
                return page(FormState(values: input), notice: .error("Nama pengguna atau kata sandi salah."), status: .unauthorized)

            case .busy:
                var response = page(
                    FormState(values: input), notice: .error("Layanan masuk sedang sibuk. Silakan coba lagi sebentar."), status: .serviceUnavailable
                )
                response.headers[.retryAfter] = "5"
                return response
            }
        }
        router.post("/staf/keluar") { request, context in
            // Only the session's own form may end it (a cross-site post cannot log staff out).
            let input = try await request.form(context: context)
            if let token = request.cookies[StaffSessionMiddleware.cookieName]?.value,
               let session = try await portal.accounts.session(token: token), input["csrf"] == session.csrfToken {
                try await portal.accounts.logOut(token: token)
            }
            var response = Response.redirect(to: "/staf/masuk")
            response.setCookie(Cookie(name: StaffSessionMiddleware.cookieName, value: "", maxAge: 0, path: "/staf", secure: portal.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// Only a path inside the console: a crafted link cannot send a fresh login elsewhere.
    static func safeReturn(_ path: String) -> String {
        path.hasPrefix("/staf") && !path.contains("//") && !path.contains("\\") ? path : "/staf"
    }

    private func page(_ state: FormState, notice: Notice? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var state = state
        state.values.fields["password"] = nil
        return PageResponse.html(Layout.page(title: "Masuk petugas", notice: notice, body: """
            <form method="post" action="/staf/masuk" class="narrow">
            \(Field.hidden("kembali", Self.safeReturn(state["kembali"])))
            \(Field.text("username", "Nama pengguna", state: state, required: true, extra: " autocomplete=\"username\" autocapitalize=\"none\" maxlength=\"40\""))
            \(Field.text("password", "Kata sandi", state: state, type: "password", required: true, extra: " autocomplete=\"current-password\""))
            <p><button type="submit" class="primary">Masuk</button></p>
            </form>
            """), status: status)
    }
}

/// Staff forms: the body, after checking the CSRF token against the session.
extension Request {
    func staffForm(context: PortalRequestContext) async throws -> (FormData, StaffSession) {
        guard let staff = context.staff else { throw HTTPError(.unauthorized) }
        let input = try await form(context: context)
        guard let token = input.fields["csrf"]?.first, token == staff.csrfToken else {
            throw HTTPError(.forbidden, message: "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")
        }
        return (input, staff)
    }
}

extension PortalRequestContext {
    /// The signed-in staff member, who must have `role`.
    func staff(_ role: StaffRole) throws -> StaffSession {
        guard let staff else { throw HTTPError(.unauthorized) }
        guard staff.has(role) else { throw HTTPError(.forbidden, message: "Halaman ini untuk peran lain.") }
        return staff
    }
}
