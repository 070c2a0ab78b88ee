import Hummingbird
import NIOCore

/// The console's front page and the documents staff open from a case.
struct StaffHomeRoutes {
    let portal: Portal

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get { _, context in
            guard let session = context.staff else { throw HTTPError(.unauthorized) }
            let sections = StaffMenu.items(for: session).map { item -> HTML in
                "<li><a href=\"\(item.path)\"><strong>\(item.label)</strong></a></li>"
            }
            return PageResponse.html(Layout.page(title: "Selamat datang, \(session.displayName)", staff: session, body: """
                <ul class="cards">\(sections)</ul>
                """))
        }
        staff.get("dokumen/:referral/:document") { _, context in
            guard let session = context.staff, session.has(.verifier) || session.has(.caseWorker) else {
                throw HTTPError(.forbidden)
            }
            let referral = try context.parameters.require("referral")
            let document = try context.parameters.require("document")
            do {
                let found = try await portal.backends.intake.getDocument(.with {
                    $0.referralID = referral
                    $0.documentID = document
                }, options: Backends.options)
                var headers = PageResponse.securityHeaders
                headers[.contentType] = found.info.mediaType
                headers[.contentDisposition] = "inline"
                headers[.cacheControl] = "no-store"
                // A PDF or picture opened in the browser may not run anything.
                headers[.contentSecurityPolicy] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: found.content)))
            } catch {
                throw HTTPError(.notFound)
            }
        }
    }
}
