import ArgumentParser
import Foundation
import LayarRuntime
import LayarSchema
import SwiftProtobuf

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a referral from a JSON file of layar.v1.ReferralForm ('-' reads standard input)."
    )
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "Path of the JSON form (see `layarctl example-form`).")
    var file: String
    @Option(help: "Idempotency key (UUID): repeating the command with it returns the same referral.")
    var requestID = UUID().uuidString.lowercased()

    func run() async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let form = try Layar_V1_ReferralForm(jsonUTF8Data: data)
        let response = try await call {
            try await endpoints.withClient(endpoints.intake) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with {
                    $0.form = form
                    $0.requestID = requestID
                })
            }
        }
        try printJSON(response)
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a referral's status by tracking code or referral id.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "Tracking code (LYR-XXXX-XXXX) or referral id (UUID).")
    var key: String

    func run() async throws {
        let request = Layar_V1_GetReferralRequest.with {
            if UUID(uuidString: key) != nil { $0.referralID = key } else { $0.trackingCode = key }
        }
        let summary = try await call {
            try await endpoints.withClient(endpoints.intake) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(request)
            }
        }
        try printJSON(summary)
    }
}

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "case", abstract: "Show the case opened for a referral.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "Referral id (UUID).") var referralID: String

    func run() async throws {
        let found = try await call {
            try await endpoints.withClient(endpoints.assignment) { client in
                try await Layar_V1_AssignmentService.Client(wrapping: client).getCase(.with { $0.referralID = referralID })
            }
        }
        try printJSON(found)
    }
}

struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the messages recorded for a referral's applicant.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "Referral id (UUID).") var referralID: String

    func run() async throws {
        let messages = try await call {
            try await endpoints.withClient(endpoints.notification) { client in
                try await Layar_V1_NotificationService.Client(wrapping: client).listMessages(.with { $0.referralID = referralID })
            }
        }
        try printJSON(messages)
    }
}

struct Survey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the survey invitation of a referral.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "Referral id (UUID).") var referralID: String

    func run() async throws {
        let invitation = try await call {
            try await endpoints.withClient(endpoints.survey) { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).getInvitation(.with { $0.referralID = referralID })
            }
        }
        try printJSON(invitation)
    }
}

struct Workers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List case workers with their coverage and load.")
    @OptionGroup var endpoints: Endpoints

    func run() async throws {
        let workers = try await call {
            try await endpoints.withClient(endpoints.assignment) { client in
                try await Layar_V1_AssignmentService.Client(wrapping: client).listCaseWorkers(.init())
            }
        }
        try printJSON(workers)
    }
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask every service's grpc.health.v1 endpoint; exits 1 unless all are SERVING."
    )
    @OptionGroup var endpoints: Endpoints

    func run() async throws {
        let services = [
            ("intake", endpoints.intake), ("verification", endpoints.verification),
            ("assignment", endpoints.assignment), ("notification", endpoints.notification),
            ("survey", endpoints.survey),
        ]
        var healthy = true
        for (name, text) in services {
            let status: String
            do {
                status = try await endpoints.withClient(text) { client in
                    "\(try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init()).status)"
                }
            } catch {
                status = "unreachable (\(error))"
            }
            healthy = healthy && status == "serving"
            print("\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(text.padding(toLength: 16, withPad: " ", startingAt: 0)) \(status)")
        }
        if !healthy { throw ExitCode(1) }
    }
}

struct ExampleForm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-form", abstract: "Print a sample referral form (synthetic data) as JSON."
    )
    @Flag(help: "A person without a NIK or papers: an estimated age and where they were found instead.")
    var withoutNik = false

    func run() throws {
        if withoutNik {
            print(Self.withoutNIK)
            return
        }
        print(#"""
        {
          "person": {
            "nik": "6311065203580001",
            "full_name": "Siti Aminah",
            "sex": "SEX_FEMALE",
            "birth_place": "Paringin",
            "birth_date": { "year": 1958, "month": 3, "day": 12 },
            "address": {
              "kecamatan_code": "63.11.06",
              "desa_code": "63.11.06.1023",
              "rt": "004",
              "rw": "002",
              "street": "Jl. Jend. A. Yani, dekat masjid"
            }
          },
          "applicant": {
            "relationship": "APPLICANT_RELATIONSHIP_VILLAGE_OFFICIAL",
            "name": "Rusdiansyah",
            "phone": "0812-3456-7890",
            "institution": "Kantor Kelurahan Paringin Kota",
            "preferred_channel": "CONTACT_CHANNEL_SMS"
          },
          "ppks_kind": "PPKS-08",
          "description": "Lansia tinggal sendiri, tidak ada keluarga yang merawat, sering tidak makan.",
          "needs": ["NEED_RESIDENTIAL_REHABILITATION", "NEED_BASIC_NEEDS"],
          "urgency": "URGENCY_URGENT",
          "channel": "INTAKE_CHANNEL_WEB",
          "consent": {
            "given": true,
            "given_by": "Siti Aminah",
            "giver": "CONSENT_GIVER_SELF",
            "channel": "CONSENT_CHANNEL_ELECTRONIC",
            "purposes": ["CONSENT_PURPOSE_VERIFICATION", "CONSENT_PURPOSE_REFERRAL", "CONSENT_PURPOSE_NOTIFICATION", "CONSENT_PURPOSE_SURVEY"]
          },
          "documents": [
            { "kind": "DOCUMENT_KIND_KTP", "file_name": "ktp.jpg", "content": "/9j/4AAQSkZJRgAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }
          ]
        }
        """#)
    }

    static let withoutNIK = #"""
        {
          "person": {
            "full_name": "Udin",
            "sex": "SEX_MALE",
            "is_child": true,
            "address": { "kecamatan_code": "63.11.06", "desa_code": "63.11.06.1023" },
            "unknown_identity": {
              "estimated_age": 12,
              "found_at": "Emperan toko dekat pasar Paringin",
              "appearance": "Kurus, kaos merah, bekas luka di dahi"
            }
          },
          "applicant": {
            "relationship": "APPLICANT_RELATIONSHIP_SOCIAL_WORKER",
            "name": "Rusdiansyah",
            "phone": "0812-3456-7890",
            "institution": "TKSK Kecamatan Paringin",
            "preferred_channel": "CONTACT_CHANNEL_SMS"
          },
          "ppks_kind": "PPKS-04",
          "description": "Anak tidur di emperan toko, tidak diketahui keluarganya.",
          "needs": ["NEED_RESIDENTIAL_REHABILITATION", "NEED_BASIC_NEEDS"],
          "urgency": "URGENCY_URGENT",
          "channel": "INTAKE_CHANNEL_WEB",
          "consent": {
            "given": true,
            "given_by": "Rusdiansyah",
            "giver": "CONSENT_GIVER_GUARDIAN",
            "channel": "CONSENT_CHANNEL_ELECTRONIC",
            "purposes": ["CONSENT_PURPOSE_VERIFICATION", "CONSENT_PURPOSE_REFERRAL", "CONSENT_PURPOSE_NOTIFICATION"]
          }
        }
        """#
}
