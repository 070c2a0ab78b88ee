import Hummingbird
import LayarSchema

/// The staff inbox: what notification put in the member's own inbox (a case worker's) and in the
/// shared inboxes of their roles, with the unread ones counted; marking them read. Notification
/// itself refuses an inbox that is not the caller's (by the token), whatever the form says.
struct StaffInboxRoutes {
    let portal: Portal
    private var notification: Layar_V1_NotificationService.Client<Backends.Transport> { portal.backends.notification }

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("kotak-masuk") { request, context in
            guard let session = context.staff else { throw HTTPError(.unauthorized) }
            let marked = request.uri.queryParameters.get("dibaca").flatMap { Int($0) }
            return try await page(session, notice: marked.map { .success("\($0) pesan ditandai sudah dibaca.") })
        }
        staff.post("kotak-masuk") { request, context in
            let (input, session) = try await request.staffForm(context: context)
            let recipient = input["recipient"]
            guard StaffInboxPage.inboxes(of: session).contains(where: { $0.address == recipient }) else {
                throw HTTPError(.forbidden, message: "Ini bukan kotak masuk Anda.")
            }
            do {
                let answer = try await notification.markRead(.with {
                    $0.recipient = recipient
                    $0.messageIds = input.all("message_ids")
                }, options: Backends.options)
                return Response.redirect(to: "/staf/kotak-masuk?dibaca=\(answer.marked)")
            } catch {
                return try await page(session, notice: .error(BackendFailure(error).message), status: .unprocessableContent)
            }
        }
    }

    private func page(_ session: StaffSession, notice: Notice?, status: HTTPResponse.Status = .ok) async throws -> Response {
        var inboxes: [StaffInboxPage.Inbox] = []
        do {
            for inbox in StaffInboxPage.inboxes(of: session) {
                var filled = inbox
                filled.messages = try await notification.listInbox(.with { $0.recipient = inbox.address }, options: Backends.options)
                    .messages.prefix(StaffInboxPage.shownPerInbox).map { $0 }
                inboxes.append(filled)
            }
        } catch {
            return PageResponse.page("Kotak masuk", staff: session, notice: .error(BackendFailure(error).message), body: .empty)
        }
        return PageResponse.page("Kotak masuk", staff: session, notice: notice, body: StaffInboxPage.body(inboxes, staff: session), status: status)
    }
}
