import LayarRuntime
import LayarSchema

/// The staff inbox page: one section per inbox (the member's own, then each role's shared one),
/// newest first, unread ones marked and counted, a button that marks an inbox's unread ones read.
/// A plain form per inbox: it works without JavaScript and by keyboard.
enum StaffInboxPage {
    struct Inbox: Sendable {
        var address: String
        var title: String
        var messages: [Layar_V1_NotificationMessage] = []

        var unread: [Layar_V1_NotificationMessage] { messages.filter { !$0.read } }
    }

    /// At most this many messages of an inbox are shown (notification keeps the rest).
    static let shownPerInbox = 100

    /// The inboxes `staff` may read: a case worker's own, and the shared one of each role.
    static func inboxes(of staff: StaffSession) -> [Inbox] {
        var inboxes: [Inbox] = []
        if !staff.caseWorkerID.isEmpty { inboxes.append(Inbox(address: staff.caseWorkerID, title: "Untuk Anda")) }
        for role in staff.roles.sorted(by: { $0.rawValue < $1.rawValue }) {
            inboxes.append(Inbox(address: role.inboxAddress, title: "Untuk semua \(Labels.role(role))"))
        }
        return inboxes
    }

    static func body(_ inboxes: [Inbox], staff: StaffSession) -> HTML {
        let unread = inboxes.reduce(0) { $0 + $1.unread.count }
        let sections = inboxes.enumerated().map { index, inbox in section(inbox, id: "kotak-\(index)", staff: staff) }
        return """
        <p id="belum-dibaca">\(unread == 0 ? "Semua pesan sudah dibaca." : "\(unread) pesan belum dibaca.")</p>
        \(sections)
        """
    }

    private static func section(_ inbox: Inbox, id: String, staff: StaffSession) -> HTML {
        let items = inbox.messages.map { message -> HTML in
            """
            <li class="\(message.read ? "read" : "unread")"><p class="meta">\(Dates.show(message.createdAt))\(message.read ? "" : " · <strong>Belum dibaca</strong>" as HTML)</p>
            <p>\(message.body)</p></li>
            """
        }
        let ids = inbox.unread.map { Field.hidden("message_ids", $0.id) }
        let form: HTML = inbox.unread.isEmpty ? .empty : """
            <form method="post" action="/staf/kotak-masuk">\(Field.csrf(staff))\(Field.hidden("recipient", inbox.address))\(ids)
            <p><button type="submit">Tandai \(inbox.unread.count) pesan sudah dibaca</button></p></form>
            """
        return """
        <section aria-labelledby="\(id)"><h2 id="\(id)">\(inbox.title) <span class="badge">\(inbox.unread.count) belum dibaca</span></h2>
        \(form)
        \(items.isEmpty ? "<p>Tidak ada pesan.</p>" as HTML : "<ul class=\"inbox\">\(items)</ul>" as HTML)
        </section>
        """
    }
}
