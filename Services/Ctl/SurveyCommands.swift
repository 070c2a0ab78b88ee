import ArgumentParser
import Foundation
import LayarRuntime
import LayarSchema

/// A period of whole days, `--from 2026-01-01 --to 2026-12-31` (WITA).
struct PeriodArguments: ParsableArguments {
    @Option(help: "First day, YYYY-MM-DD.") var from: String
    @Option(help: "Last day (included), YYYY-MM-DD.") var to: String

    func request() throws -> Layar_V1_PeriodRequest {
        let first = try Self.date(from)
        let last = try Self.date(to)
        return .with {
            $0.from = first
            $0.to = last
        }
    }

    static func date(_ text: String) throws -> Layar_V1_Date {
        let parts = text.split(separator: "-").compactMap { Int32($0) }
        guard parts.count == 3 else { throw ValidationError("\(text): expected YYYY-MM-DD") }
        return .with {
            $0.year = parts[0]
            $0.month = parts[1]
            $0.day = parts[2]
        }
    }
}

struct Answer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Answer the satisfaction survey (SKM) with an invitation code.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "The code from the invitation, e.g. SKM-4K7P-Q2XM.") var code: String
    @Option(help: "Nine scores 1-4 for U1..U9, comma-separated.") var scores: String
    @Option(help: "Suggestion, optional.") var suggestion = ""

    func run() async throws {
        let values = scores.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 9 else { throw ValidationError("--scores needs nine numbers") }
        let request = Layar_V1_SubmitResponseRequest.with {
            $0.code = code
            $0.answers = zip(1..., values).map { element, score in
                .with {
                    $0.element = Layar_V1_SurveyElement(rawValue: element) ?? .unspecified
                    $0.score = score
                }
            }
            $0.suggestion = suggestion
        }
        let response = try await call {
            try await endpoints.withClient(endpoints.survey) { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).submitResponse(request)
            }
        }
        try printJSON(response)
    }
}

struct IKM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ikm", abstract: "The IKM (satisfaction index) for a period.")
    @OptionGroup var endpoints: Endpoints
    @OptionGroup var period: PeriodArguments

    func run() async throws {
        let request = try period.request()
        let report = try await call {
            try await endpoints.withClient(endpoints.survey) { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).getIKMReport(request)
            }
        }
        try printJSON(report)
    }
}

struct Monev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The monitoring report (monev) for a period.")
    @OptionGroup var endpoints: Endpoints
    @OptionGroup var period: PeriodArguments
    @Flag(help: "Print the CSV rendering only.") var csv = false

    func run() async throws {
        let request = try period.request()
        let report = try await call {
            try await endpoints.withClient(endpoints.survey) { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).getMonitoringReport(request)
            }
        }
        if csv {
            FileHandle.standardOutput.write(Data(report.csv.utf8))
        } else {
            var view = report
            view.csv = ""
            try printJSON(view)
        }
    }
}

struct Complain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "File a complaint (pengaduan).")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "What happened.") var description: String
    @Option(help: "service-delay, staff-conduct, eligibility, institution, charges, data-protection or other.")
    var category = "other"
    @Option(help: "A referral's tracking code, optional.") var trackingCode = ""
    @Flag(help: "File anonymously.") var anonymous = false

    static let categories: [String: Layar_V1_ComplaintCategory] = [
        "service-delay": .serviceDelay, "staff-conduct": .staffConduct, "eligibility": .eligibility,
        "institution": .institution, "charges": .charges, "data-protection": .dataProtection, "other": .other,
    ]

    func run() async throws {
        guard let kind = Self.categories[category] else { throw ValidationError("unknown --category \(category)") }
        let request = Layar_V1_FileComplaintRequest.with {
            $0.description_p = description
            $0.category = kind
            $0.channel = .web
            $0.trackingCode = trackingCode
            $0.anonymous = anonymous
        }
        let complaint = try await call {
            try await endpoints.withClient(endpoints.survey) { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).fileComplaint(request)
            }
        }
        try printJSON(complaint)
    }
}
