import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarRuntime
import LayarSchema
import SwiftProtobuf

// The case worker's and supervisor's steps on a case, and the registries (assignment service).

typealias AssignmentClient = Layar_V1_AssignmentService.Client<HTTP2ClientTransport.Posix>

/// A staff command: the endpoints and the staff token (whose holder the case ledger records).
struct StaffOptions: ParsableArguments {
    @OptionGroup var endpoints: Endpoints

    /// Calls the assignment API with the staff token and prints the answer.
    func assignment<Response: SwiftProtobuf.Message>(
        _ body: (AssignmentClient, Metadata) async throws -> Response
    ) async throws {
        let response = try await call {
            try await endpoints.withClient(endpoints.assignment) { client in
                try await body(AssignmentClient(wrapping: client), [:])
            }
        }
        try printJSON(response)
    }
}

extension Layar_V1_CaseRoute: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "refer": self = .refer
        case "serve-locally": self = .serveLocally
        default: return nil
        }
    }
}

extension Layar_V1_ServiceOutcome: ExpressibleByArgument {
    public init?(argument: String) {
        let names: [String: Self] = [
            "got-help": .gotHelp, "could-not-get-help": .couldNotGetHelp, "referred-elsewhere": .referredElsewhere,
            "no-longer-interested": .noLongerInterested, "unreachable": .unreachable, "deceased": .deceased,
        ]
        guard let value = names[argument] else { return nil }
        self = value
    }
}

struct Assess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record a case's assessment and route (refer or serve-locally).")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "Assessed needs.") var needs: String
    @Option(help: "Intervention plan.") var plan: String
    @Option(help: "refer | serve-locally") var route: Layar_V1_CaseRoute
    @Option(help: "Main service needed, as a layar.v1.Need number (1 residential ... 8 NAPZA).") var service = 0

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.recordAssessment(.with {
                $0.referralID = referralID
                $0.needs = needs
                $0.plan = plan
                $0.route = route
                $0.service = Layar_V1_Need(rawValue: service) ?? .unspecified
            }, metadata: metadata)
        }
    }
}

struct Suggest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Suggest institutions for an assessed case.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.suggestInstitutions(.with { $0.referralID = referralID }, metadata: metadata)
        }
    }
}

struct Offer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a referral offer to an institution.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "Institution code, e.g. PPRSLU-BUDI-SEJAHTERA.") var institution: String
    @Option(help: "Referral letter number.") var letter: String
    @Option(help: "What the institution needs to know.") var summary: String
    @Option(help: "The person's name (institutions that identify the person).") var personName = ""

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.sendOffer(.with {
                $0.referralID = referralID
                $0.institutionCode = institution
                $0.letterNumber = letter
                $0.summary = summary
                $0.personName = personName
            }, metadata: metadata)
        }
    }
}

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Take back a case's live offer.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "Why.") var reason: String

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.revokeOffer(.with {
                $0.referralID = referralID
                $0.reason = reason
            }, metadata: metadata)
        }
    }
}

struct Progress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record admission (--admitted) or service in progress.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Flag(help: "The institution admitted the person (otherwise: service in progress).") var admitted = false
    @Option(help: "Note.") var note = ""

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.recordProgress(.with {
                $0.referralID = referralID
                $0.step = admitted ? .admitted : .inService
                $0.note = note
            }, metadata: metadata)
        }
    }
}

struct Outcome: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record the outcome of a case's service.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "got-help | could-not-get-help | referred-elsewhere | no-longer-interested | unreachable | deceased")
    var outcome: Layar_V1_ServiceOutcome
    @Option(help: "Note, without health details.") var note = ""

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.recordOutcome(.with {
                $0.referralID = referralID
                $0.outcome = outcome
                $0.note = note
            }, metadata: metadata)
        }
    }
}

struct Complete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Complete a case whose outcome is recorded.")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "Short outcome summary for the applicant, without health details.") var outcome: String

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.completeCase(.with {
                $0.referralID = referralID
                $0.outcome = outcome
            }, metadata: metadata)
        }
    }
}

struct Close: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Close a case (a reason is needed unless it is completed).")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "Why.") var reason = ""

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.closeCase(.with {
                $0.referralID = referralID
                $0.reason = reason
            }, metadata: metadata)
        }
    }
}

struct Reassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Give a case to another case worker (supervisors).")
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Referral id (UUID).") var referralID: String
    @Option(help: "The new case worker's id.") var worker: String
    @Option(help: "Why.") var reason: String

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.reassignCase(.with {
                $0.referralID = referralID
                $0.caseWorkerID = worker
                $0.reason = reason
            }, metadata: metadata)
        }
    }
}

struct Unassigned: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The supervisors' queue of cases waiting for a case worker.")
    @OptionGroup var staff: StaffOptions

    func run() async throws {
        try await staff.assignment { client, metadata in try await client.listUnassignedCases(.init(), metadata: metadata) }
    }
}

struct Institutions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the institutions (partner agencies).")
    @OptionGroup var staff: StaffOptions

    func run() async throws {
        try await staff.assignment { client, metadata in try await client.listInstitutions(.init(), metadata: metadata) }
    }
}

struct PartnerKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-key", abstract: "Issue a new partner API key for an institution (shown once)."
    )
    @OptionGroup var staff: StaffOptions
    @Argument(help: "Institution code.") var institution: String

    func run() async throws {
        try await staff.assignment { client, metadata in
            try await client.issuePartnerKey(.with { $0.institutionCode = institution }, metadata: metadata)
        }
    }
}
