import ArgumentParser
import Foundation
import LayarRuntime
import LayarSchema

/// The applicant's key to a referral, as command-line arguments.
struct TrackingArguments: ParsableArguments {
    @Argument(help: "Tracking code, e.g. LYR-7K3M-Q9TX.")
    var trackingCode: String
    @Option(help: "The six-digit PIN answered with the code (or set LAYAR_TRACKING_PIN, which keeps it out of the shell history).")
    var pin: String?

    func key() throws -> Layar_V1_TrackingKey {
        guard let pin = pin ?? ProcessInfo.processInfo.environment["LAYAR_TRACKING_PIN"], !pin.isEmpty else {
            throw ValidationError("--pin (or LAYAR_TRACKING_PIN) is required")
        }
        return .with {
            $0.trackingCode = trackingCode
            $0.pin = pin
        }
    }
}

struct Track: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The applicant's view: status and timeline of a referral.")
    @OptionGroup var endpoints: Endpoints
    @OptionGroup var tracking: TrackingArguments

    func run() async throws {
        let key = try tracking.key()
        let view = try await call {
            try await endpoints.withClient(endpoints.intake) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getStatus(.with { $0.key = key })
            }
        }
        try printJSON(view)
    }
}

struct AddDocuments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-documents", abstract: "Add documents that verification asked for."
    )
    @OptionGroup var endpoints: Endpoints
    @OptionGroup var tracking: TrackingArguments
    @Option(name: .customLong("document"), help: "KIND=PATH, KIND one of ktp, kk, village-statement, medical-letter, photo. Repeatable.")
    var documents: [String]

    static let kinds: [String: Layar_V1_DocumentKind] = [
        "ktp": .ktp, "kk": .kk, "village-statement": .villageStatement, "medical-letter": .medicalLetter, "photo": .photo,
    ]

    func run() async throws {
        let uploads = try documents.map { argument -> Layar_V1_DocumentUpload in
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = Self.kinds[parts[0]] else {
                throw ValidationError("--document \(argument): expected KIND=PATH")
            }
            let url = URL(fileURLWithPath: parts[1])
            return .with {
                $0.kind = kind
                $0.fileName = url.lastPathComponent
                $0.content = (try? Data(contentsOf: url)) ?? Data()
            }
        }
        let key = try tracking.key()
        let view = try await call {
            try await endpoints.withClient(endpoints.intake) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).addDocuments(.with {
                    $0.key = key
                    $0.documents = uploads
                })
            }
        }
        try printJSON(view)
    }
}

struct Withdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Withdraw a referral that is not completed yet.")
    @OptionGroup var endpoints: Endpoints
    @OptionGroup var tracking: TrackingArguments
    @Option(help: "Reason, optional.") var reason = ""

    func run() async throws {
        let key = try tracking.key()
        let view = try await call {
            try await endpoints.withClient(endpoints.intake) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).withdrawReferral(.with {
                    $0.key = key
                    $0.reason = reason
                })
            }
        }
        try printJSON(view)
    }
}
