import ArgumentParser
import LayarSchema

/// `layarctl audit intake --subject <referral id>`: one service's audit trail (administrators).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a service's audit trail: who read or changed whose data, from where, through which RPC (admin token)."
    )
    enum ServiceName: String, ExpressibleByArgument, CaseIterable {
        case intake, verification, assignment, notification, survey
    }

    @OptionGroup var endpoints: Endpoints
    @Argument(help: "The service whose trail to show: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var service: ServiceName
    @Option(help: "Only entries about this referral id, tracking code or offer id.") var subject = ""
    @Option(help: "Only entries of this actor (a staff username, partner:<code>, public, anonymous).") var actor = ""
    @Option(help: "At most this many entries, newest first (1 to 1000).") var limit: Int32 = 100

    func run() async throws {
        let address = switch service {
        case .intake: endpoints.intake
        case .verification: endpoints.verification
        case .assignment: endpoints.assignment
        case .notification: endpoints.notification
        case .survey: endpoints.survey
        }
        let events = try await call {
            try await endpoints.withClient(address) { client in
                try await Layar_V1_AuditService.Client(wrapping: client).listAuditEvents(.with {
                    $0.subject = subject
                    $0.actor = actor
                    $0.limit = limit
                })
            }
        }
        try printJSON(events)
    }
}
