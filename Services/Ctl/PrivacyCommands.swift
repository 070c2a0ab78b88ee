import ArgumentParser
import LayarSchema

/// `layarctl privacy export|correct|erase|get`: a person's requests about their data (UU
/// 27/2022), answered by every service within 3 × 24 hours (administrators).
struct Privacy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open or follow a data-subject request: export, correction or erasure by NIK (admin token).",
        subcommands: [Export.self, Correct.self, Erase.self, Get.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything LAYAR holds about the person, from every service.")
        @OptionGroup var request: Opening

        func run() async throws { try await request.open(.export) }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Correct the person's name, birth place, address or contact.")
        @OptionGroup var request: Opening
        @Option(help: "Corrected full name.") var fullName = ""
        @Option(help: "Corrected birth place.") var birthPlace = ""
        @Option(help: "Corrected street, with RT/RW.") var street = ""
        @Option(help: "Corrected phone for messages.") var phone = ""
        @Option(help: "Corrected e-mail for messages.") var email = ""

        func run() async throws {
            try await request.open(.correction, correction: .with {
                $0.fullName = fullName
                $0.birthPlace = birthPlace
                $0.street = street
                $0.phone = phone
                $0.email = email
            })
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Anonymise the person's closed referrals in every service.")
        @OptionGroup var request: Opening

        func run() async throws { try await request.open(.erasure) }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A request with the services' answers (an export's bundle).")
        @OptionGroup var endpoints: Endpoints
        @Argument(help: "The request id.") var requestID: String

        func run() async throws {
            let found = try await call {
                try await endpoints.withClient(endpoints.intake) { client in
                    try await Layar_V1_DataSubjectService.Client(wrapping: client).getDataSubjectRequest(.with { $0.requestID = requestID })
                }
            }
            try printJSON(found)
        }
    }

    struct Opening: ParsableArguments {
        @OptionGroup var endpoints: Endpoints
        @Option(help: "The person's NIK.") var nik: String
        @Option(help: "The person's letter or the legal ground, for the record.") var reason: String

        func open(_ kind: Layar_V1_DataSubjectRequestKind, correction: Layar_V1_PersonCorrection = .init()) async throws {
            let opened = try await call {
                try await endpoints.withClient(endpoints.intake) { client in
                    try await Layar_V1_DataSubjectService.Client(wrapping: client).openDataSubjectRequest(.with {
                        $0.nik = nik
                        $0.kind = kind
                        $0.reason = reason
                        $0.correction = correction
                    })
                }
            }
            try printJSON(opened)
        }
    }
}
