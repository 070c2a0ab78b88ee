import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// `layarctl`: talks to the LAYAR services' gRPC APIs and reads their Kafka topics.
@main
struct Layarctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layarctl",
        abstract: "Command-line client for the LAYAR services (gRPC) and their event topics (Kafka).",
        subcommands: [
            Submit.self, Status.self, Track.self, AddDocuments.self, Withdraw.self, CaseCommand.self, Unassigned.self,
            Reassign.self, Assess.self, Suggest.self, Offer.self, Revoke.self, Progress.self, Outcome.self, Complete.self,
            Close.self, Workers.self, Institutions.self, PartnerKeyCommand.self, PartnerCommand.self, Messages.self, Survey.self,
            Answer.self, IKM.self, Monev.self, Complain.self, Audit.self, Privacy.self, Health.self, Tail.self, ReplayDeadLetters.self, KafkaConfigCommand.self,
            ExampleForm.self,
        ]
    )
}

/// Where the services listen; defaults match the local stack.
struct Endpoints: ParsableArguments {
    @Option(help: "Intake address (env LAYAR_INTAKE_ADDR).")
    var intake = Self.defaultAddress(of: .intake)
    @Option(help: "Verification address (env LAYAR_VERIFICATION_ADDR).")
    var verification = Self.defaultAddress(of: .verification)
    @Option(help: "Assignment address (env LAYAR_ASSIGNMENT_ADDR).")
    var assignment = Self.defaultAddress(of: .assignment)
    @Option(help: "Notification address (env LAYAR_NOTIFICATION_ADDR).")
    var notification = Self.defaultAddress(of: .notification)
    @Option(help: "Survey address (env LAYAR_SURVEY_ADDR).")
    var survey = Self.defaultAddress(of: .survey)

    @Option(help: "Staff commands' credential (env LAYAR_TOKEN): a layarctl key from `layar-portal issue-token --username ...`, exchanged at the portal for a short-lived token.")
    var token = env("LAYAR_TOKEN", "")
    @Option(help: "The portal that exchanges a layarctl key (env LAYAR_PORTAL_URL).")
    var portal = env("LAYAR_PORTAL_URL", "http://127.0.0.1:8080")

    /// Runs `body` with a client of the service at `text`, its calls carrying the staff token.
    func withClient<Result: Sendable>(
        _ text: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let service = try address(text)
        return try await service.withClient(bearerToken: try await StaffCredential.bearer(token, portal: portal), body)
    }

    /// The service's address from its `LAYAR_<SERVICE>_ADDR`, else the local stack's (the service table).
    static func defaultAddress(of service: LayarServiceName) -> String {
        env(service.addressVariable, service.localAddress)
    }

    static func env(_ name: String, _ fallback: String) -> String {
        ProcessInfo.processInfo.environment[name] ?? fallback
    }

    func address(_ text: String) throws -> ServiceAddress {
        guard let address = ServiceAddress(text) else { throw ValidationError("'\(text)' is not host:port") }
        return address
    }
}

/// Prints a message as indented JSON with the proto field names.
func printJSON(_ message: some SwiftProtobuf.Message) throws {
    var options = JSONEncodingOptions()
    options.preserveProtoFieldNames = true
    let compact = try message.jsonUTF8Data(options: options)
    let object = try JSONSerialization.jsonObject(with: compact)
    let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: pretty, as: UTF8.self))
}

/// Runs an RPC, turning a gRPC error (with its field violations) into a readable failure.
func call<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RPCError {
        var lines = ["error: \(error.code): \(error.message)"]
        if let status = try? error.unpackGoogleRPCStatus() {
            for detail in status.details {
                for violation in detail.badRequest?.violations ?? [] {
                    lines.append("  \(violation.field): \(violation.violationDescription)")
                }
            }
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        throw ExitCode(1)
    }
}
