import Foundation
import GRPCCore
import GRPCProtobuf
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// The walking skeleton end to end: five real service processes, PostgreSQL, the Kafka protocol.
@Suite("Walking skeleton", .serialized)
struct WalkingSkeletonTests {
    /// Polls `probe` until it returns a value or `timeout` passes.
    static func eventually<T: Sendable>(
        _ what: String, services: ServiceProcesses, timeout: Duration = .seconds(60),
        _ probe: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try services.checkRunning()
            if let value = try? await probe() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure("timed out waiting for \(what)\n\(services.logs())")
    }

    @Test("a referral goes submitted -> verified -> assigned -> completed, with messages and a survey invitation")
    func referralLifecycle() async throws {
        let services = try ServiceProcesses()
        do {
            try await run(services)
        } catch {
            _ = await services.stop()
            throw error
        }
        let statuses = await services.stop()
        for (name, status) in statuses {
            #expect(status == 0, "\(name) did not shut down cleanly on SIGTERM: \(String(describing: status))")
        }
    }

    private func run(_ services: ServiceProcesses) async throws {
        try await services.waitUntilServing()
        let intake = services.addresses["intake"]!
        let assignment = services.addresses["assignment"]!

        // Bad input: INVALID_ARGUMENT with field violations.
        let rejected = await #expect(throws: RPCError.self) {
            try await intake.withClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with {
                    $0.form = SampleReferral.form(nik: "123")
                })
            }
        }
        #expect(rejected?.code == .invalidArgument)
        let fields = try rejected?.unpackGoogleRPCStatus()?.details.flatMap { $0.badRequest?.violations ?? [] }.map(\.field)
        #expect(fields == ["form.person.nik"])

        let submitted = try await intake.withClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with { $0.form = SampleReferral.form() })
        }
        #expect(submitted.status == .submitted)
        #expect(submitted.trackingCode.hasPrefix("LYR-"))
        let referralID = submitted.referralID

        let assigned = try await Self.eventually("status ASSIGNED", services: services) {
            let summary = try await intake.withClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with {
                    $0.trackingCode = submitted.trackingCode
                })
            }
            return summary.status == .assigned ? summary : nil
        }
        #expect(!assigned.caseWorkerName.isEmpty)

        let caseView = try await assignment.withClient { client in
            try await Layar_V1_AssignmentService.Client(wrapping: client).getCase(.with { $0.referralID = referralID })
        }
        #expect(caseView.status == .assigned)
        #expect(caseView.kecamatanCode == "63.11.06")
        #expect(caseView.priority == 70)

        let messages = try await Self.eventually("the applicant's messages", services: services) {
            let messages = try await services.addresses["notification"]!.withClient { client in
                try await Layar_V1_NotificationService.Client(wrapping: client).listMessages(.with {
                    $0.referralID = referralID
                })
            }.messages
            return messages.contains { $0.eventType == Layar_V1_CaseAssigned.eventType } ? messages : nil
        }
        #expect(messages.allSatisfy { $0.audience == .applicant })
        #expect(messages.contains { $0.eventType == Layar_V1_ReferralSubmitted.eventType && $0.body.contains(submitted.trackingCode) })
        #expect(Set(messages.map(\.eventID)).count == messages.count, "one message per event")

        let completed = try await assignment.withClient { client in
            try await Layar_V1_AssignmentService.Client(wrapping: client).completeCase(.with {
                $0.referralID = referralID
                $0.outcome = "Diterima di UPTD PPRSLU Budi Sejahtera"
            })
        }
        #expect(completed.status == .completed)

        let invitation = try await Self.eventually("the survey invitation", services: services) {
            try await services.addresses["survey"]!.withClient { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).getInvitation(.with { $0.referralID = referralID })
            }
        }
        #expect(invitation.status == .open)
        #expect(invitation.code.hasPrefix("SKM-"))

        _ = try await Self.eventually("status COMPLETED", services: services) {
            let summary = try await intake.withClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with { $0.referralID = referralID })
            }
            return summary.status == .completed ? summary : nil
        }

        // A mismatched identity is rejected by verification, and the applicant can see why.
        let mismatched = try await intake.withClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with {
                $0.form = SampleReferral.form(nik: "6311061203580001")  // a man's NIK for a woman
            })
        }
        let rejectedSummary = try await Self.eventually("status REJECTED", services: services) {
            let summary = try await intake.withClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with {
                    $0.trackingCode = mismatched.trackingCode
                })
            }
            return summary.status == .rejected ? summary : nil
        }
        #expect(rejectedSummary.statusNote.contains("Jenis kelamin tidak sesuai dengan NIK"))
        try services.checkRunning()
    }
}
