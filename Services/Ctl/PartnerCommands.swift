import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarDomain
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// What a partner agency does, with its own key: `layarctl partner offers|answer|admit|outcome|capacity`.
/// Offers themselves arrive on the agency's topic (`layarctl tail layar.partner.<code>.referrals.v1`).
struct PartnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "Partner agency calls (PartnerService), authenticated by the agency's key.",
        subcommands: [PartnerOffers.self, PartnerAnswer.self, PartnerAdmit.self, PartnerOutcome.self, PartnerCapacity.self]
    )
}

struct PartnerOptions: ParsableArguments {
    @OptionGroup var endpoints: Endpoints
    @Option(help: "The agency's API key (env LAYAR_PARTNER_KEY).")
    var key = Endpoints.env("LAYAR_PARTNER_KEY", "")

    func partner<Response: SwiftProtobuf.Message>(
        _ body: (Layar_V1_PartnerService.Client<HTTP2ClientTransport.Posix>, Metadata) async throws -> Response
    ) async throws {
        let response = try await call {
            try await endpoints.withClient(endpoints.assignment) { client in
                try await body(Layar_V1_PartnerService.Client(wrapping: client), ["authorization": .string("Bearer \(key)")])
            }
        }
        try printJSON(response)
    }
}

struct PartnerOffers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "offers", abstract: "The agency's offers, newest first.")
    @OptionGroup var options: PartnerOptions

    func run() async throws {
        try await options.partner { client, metadata in try await client.listOffers(.init(), metadata: metadata) }
    }
}

extension Layar_V1_DeclineReason: ExpressibleByArgument {
    public init?(argument: String) {
        let names: [String: Self] = [
            "no-capacity": .noCapacity, "not-eligible": .notEligible, "cannot-contact": .cannotContact, "other": .other,
        ]
        guard let value = names[argument] else { return nil }
        self = value
    }
}

struct PartnerAnswer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "answer", abstract: "Accept (default) or decline an offer.")
    @OptionGroup var options: PartnerOptions
    @Argument(help: "Offer id (UUID).") var offerID: String
    @Option(help: "Decline with this reason: no-capacity | not-eligible | cannot-contact | other.")
    var decline: Layar_V1_DeclineReason?
    @Option(help: "Note (required with --decline other).") var note = ""

    func run() async throws {
        try await options.partner { client, metadata in
            try await client.answerOffer(.with {
                $0.offerID = offerID
                $0.accept = decline == nil
                $0.declineReason = decline ?? .unspecified
                $0.note = note
            }, metadata: metadata)
        }
    }
}

struct PartnerAdmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admit", abstract: "Record the person's admission (today).")
    @OptionGroup var options: PartnerOptions
    @Argument(help: "Offer id (UUID).") var offerID: String

    func run() async throws {
        try await options.partner { client, metadata in
            try await client.recordAdmission(.with {
                $0.offerID = offerID
                $0.admittedOn = Layar_V1_Date(LayarClock.system.todayInBalangan)
            }, metadata: metadata)
        }
    }
}

struct PartnerOutcome: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outcome", abstract: "Record how the service ended.")
    @OptionGroup var options: PartnerOptions
    @Argument(help: "Offer id (UUID).") var offerID: String
    @Option(help: "got-help | could-not-get-help | referred-elsewhere | no-longer-interested | unreachable | deceased")
    var outcome: Layar_V1_ServiceOutcome
    @Option(help: "Note, without health details.") var note = ""

    func run() async throws {
        try await options.partner { client, metadata in
            try await client.recordPartnerOutcome(.with {
                $0.offerID = offerID
                $0.outcome = outcome
                $0.note = note
            }, metadata: metadata)
        }
    }
}

struct PartnerCapacity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "capacity", abstract: "Report free and total places.")
    @OptionGroup var options: PartnerOptions
    @Option(help: "Free places.") var available: Int32
    @Option(help: "Places in total.") var total: Int32

    func run() async throws {
        try await options.partner { client, metadata in
            try await client.updateCapacity(.with {
                $0.available = available
                $0.total = total
            }, metadata: metadata)
        }
    }
}
