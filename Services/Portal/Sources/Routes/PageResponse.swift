import HTTPTypes
import Hummingbird
import NIOCore

/// HTML responses with the headers every page carries: no inline script or outside resource
/// may run (CSP), no framing, no MIME sniffing, no referrer leaving the site, and no caching of
/// pages that may hold personal data.
enum PageResponse {
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.markup)))
    }

    /// A page in the layout.
    static func page(
        _ title: String, staff: StaffSession? = nil, notice: Notice? = nil, body: HTML, status: HTTPResponse.Status = .ok
    ) -> Response {
        html(Layout.page(title: title, staff: staff, notice: notice, body: body), status: status)
    }

    /// A staff page in the layout.
    static func page(_ title: String, _ staff: StaffSession, _ body: HTML, notice: Notice? = nil, status: HTTPResponse.Status = .ok) -> Response {
        page(title, staff: staff, notice: notice, body: body, status: status)
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        // Browsers heed it only over HTTPS (the ingress terminates TLS): never plain HTTP again.
        HTTPField.Name("Strict-Transport-Security")!: "max-age=31536000; includeSubDomains",
    ]
}

/// Reads a posted form, bounded by the context's upload limit.
extension Request {
    func form(context: PortalRequestContext) async throws -> FormData {
        let body = try await body.collect(upTo: context.maxUploadSize)
        do {
            return try FormData.parse(Array(buffer: body), contentType: headers[.contentType])
        } catch {
            throw HTTPError(.badRequest, message: "Formulir tidak terbaca")
        }
    }
}
