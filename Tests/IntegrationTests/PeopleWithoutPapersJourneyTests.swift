import Foundation
import GRPCCore
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// People without a NIK or papers through the five real services: the first report is verified
/// and routed to identification (Dukcapil) and registration, its applicant and the verifiers are
/// told; a second report that looks like the same man waits for a verifier, who names it a
/// duplicate, and it is rejected only when a supervisor (another person) confirms. Nothing is
/// merged on its own and the first referral goes on untouched.
@Suite("People without papers journey", .serialized)
struct PeopleWithoutPapersJourneyTests {
    @Test("a referral without a NIK goes to identification; its likely duplicate is a verifier's and a supervisor's decision")
    func journey() async throws {
        try await StackLock.exclusively { try await Self.journeyAlone() }
    }

    static func journeyAlone() async throws {
        let services = try ServiceProcesses()
        do {
            try await services.waitUntilServing()
            try await run(services)
        } catch {
            _ = await services.stop()
            throw error
        }
        _ = await services.stop()
        #expect(services.personalDataInLogs() == [], "personal data in the services' logs")
    }

    static func run(_ services: ServiceProcesses) async throws {
        let intake = try #require(services.addresses["intake"])
        let verification = try #require(services.addresses["verification"])
        let notification = try #require(services.addresses["notification"])
        // A surname of its own: nothing another run or suite submitted can look like this man.
        let surname = String((0..<7).map { _ in "bcdfghklmnprstw".randomElement()! }).capitalized
        func submit(_ form: Layar_V1_ReferralForm) async throws -> Layar_V1_SubmitReferralResponse {
            try await intake.withClient(bearerToken: nil) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with {
                    $0.form = form
                    $0.requestID = UUID().uuidString.lowercased()
                })
            }
        }
        func verificationCase(_ id: String) async throws -> Layar_V1_VerificationCase {
            try await verification.withStaffClient { client in
                try await Layar_V1_VerificationService.Client(wrapping: client).getCase(.with { $0.referralID = id })
            }
        }
        func status(_ submitted: Layar_V1_SubmitReferralResponse) async throws -> Layar_V1_ReferralStatusView {
            try await intake.withClient(bearerToken: nil) { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getStatus(.with {
                    $0.key = .with {
                        $0.trackingCode = submitted.trackingCode
                        $0.pin = submitted.trackingPin
                    }
                })
            }
        }

        // The first report: verified without papers, routed to identification, both sides told.
        let first = try await submit(SampleReferral.formWithoutNIK(name: "Djoko \(surname)", estimatedAge: 40))
        let firstCase = try await WalkingSkeletonTests.eventually("the first report verified", services: services) {
            let found = try await verificationCase(first.referralID)
            return found.state == .verified ? found : nil
        }
        let identification = try #require(firstCase.checks.first { $0.name == .identification })
        #expect(identification.summary.contains("Dukcapil"))
        #expect(!firstCase.checks.contains { $0.name == .identity })
        let told = try await WalkingSkeletonTests.eventually("the identification proposal told", services: services) {
            let messages = try await notification.withStaffClient { client in
                try await Layar_V1_NotificationService.Client(wrapping: client).listMessages(.with { $0.referralID = first.referralID })
            }.messages
            let applicant = messages.contains { $0.audience == .applicant && $0.body.contains("belum punya NIK") }
            let verifiers = messages.contains { $0.audience == .verifier && $0.body.contains("tidak memiliki NIK") }
            return applicant && verifiers ? messages : nil
        }
        #expect(!told.contains { $0.body.contains(surname) }, "a message names the person")
        // The applicant follows it with the code and PIN, like anyone.
        _ = try await WalkingSkeletonTests.eventually("the first report's status for its applicant", services: services) {
            [.verified, .assigned].contains(try await status(first).status) ? true : nil
        }

        // The second report of what looks like the same man: the verifiers' queue, naming the first.
        let second = try await submit(SampleReferral.formWithoutNIK(name: "Bapak Joko \(surname)", estimatedAge: 43))
        let queued = try await WalkingSkeletonTests.eventually("the second report queued", services: services) {
            try await verification.withStaffClient { client in
                try await Layar_V1_VerificationService.Client(wrapping: client).listQueue(.init())
            }.items.first { $0.referralID == second.referralID }
        }
        #expect(queued.failedCheckNames.contains(.possibleDuplicate))
        let duplicate = try #require(try await verificationCase(second.referralID).checks.first { $0.name == .possibleDuplicate })
        #expect(!duplicate.passed && duplicate.summary.contains(first.trackingCode))
        #expect(try await status(second).status == .submitted, "nothing was decided for the verifier")

        // The verifier names it a duplicate; only a supervisor's confirmation rejects it.
        let verifierToken = try await TestStaffTokens.token([.verifier], username: "uji.verifikator")
        let supervisorToken = try await TestStaffTokens.token([.supervisor], username: "uji.penyelia")
        _ = try await verification.withClient(bearerToken: verifierToken) { client in
            try await Layar_V1_VerificationService.Client(wrapping: client).decide(.with {
                $0.referralID = second.referralID
                $0.proposeRejection = .with {
                    $0.reason = .duplicate
                    $0.note = "Orang yang sama dengan rujukan \(first.trackingCode); ditangani di sana."
                }
            })
        }
        #expect(try await status(second).status == .submitted)
        _ = try await verification.withClient(bearerToken: supervisorToken) { client in
            try await Layar_V1_VerificationService.Client(wrapping: client).confirmRejection(.with {
                $0.referralID = second.referralID
                $0.confirm = true
            })
        }
        _ = try await WalkingSkeletonTests.eventually("the second report rejected for its applicant", services: services) {
            try await status(second).status == .rejected ? true : nil
        }
        #expect([.verified, .assigned].contains(try await status(first).status), "the first referral goes on untouched")
    }
}
