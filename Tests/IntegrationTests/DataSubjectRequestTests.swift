import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// A person's requests about their data through the five real services: export into one bundle,
/// correction, erasure refused while the referral is open and carried out everywhere once it is
/// closed, each step audited.
@Suite("Data-subject requests", .serialized)
struct DataSubjectRequestTests {
    @Test("export, correction and erasure reach every service and come back as one answer")
    func requests() async throws {
        try await StackLock.exclusively { try await requestsAlone() }
    }

    private func requestsAlone() async throws {
        let services = try ServiceProcesses()
        do {
            try await services.waitUntilServing()
            try await journey(services)
            try services.checkRunning()
        } catch {
            _ = await services.stop()
            throw error
        }
        _ = await services.stop()
        #expect(services.personalDataInLogs() == [], "personal data in the services' logs")
    }

    static func admin<Result: Sendable>(
        _ services: ServiceProcesses, _ body: (Layar_V1_DataSubjectService.Client<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let token = try await TestStaffTokens.token([.admin], username: "uji.admin")
        return try await #require(services.addresses["intake"]).withClient(bearerToken: token) {
            try await body(Layar_V1_DataSubjectService.Client(wrapping: $0))
        }
    }

    /// Opens a request and waits until every service answered.
    static func completed(
        _ services: ServiceProcesses, nik: String, _ kind: Layar_V1_DataSubjectRequestKind,
        correction: Layar_V1_PersonCorrection = .init()
    ) async throws -> Layar_V1_DataSubjectRequest {
        let opened = try await admin(services) { client in
            try await client.openDataSubjectRequest(.with {
                $0.nik = nik
                $0.kind = kind
                $0.reason = "Surat permohonan 12/2026"
                $0.correction = correction
            })
        }
        #expect(opened.status == .inProgress && opened.answers.map(\.service) == ["intake"])
        let due = opened.dueAt.date.timeIntervalSince(opened.openedAt.date)
        #expect(due == 72 * 3600, "answered within 3 × 24 hours")
        return try await WalkingSkeletonTests.eventually("every service's answer to \(kind)", services: services) {
            let found = try await admin(services) { try await $0.getDataSubjectRequest(.with { $0.requestID = opened.requestID }) }
            return found.status == .completed ? found : nil
        }
    }

    private func journey(_ services: ServiceProcesses) async throws {
        let form = SampleReferral.uniqueForm()
        let submitted = try await #require(services.addresses["intake"]).withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with { $0.form = form })
        }
        _ = try await WalkingSkeletonTests.eventually("status ASSIGNED", services: services) {
            let summary = try await #require(services.addresses["intake"]).withStaffClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with { $0.referralID = submitted.referralID })
            }
            return summary.status == .assigned ? summary : nil
        }
        _ = try await #require(services.addresses["survey"]).withStaffClient { client in
            try await Layar_V1_SurveyService.Client(wrapping: client).fileComplaint(.with {
                $0.description_p = "Petugas belum datang menemui Ibu Siti Aminah."
                $0.category = .serviceDelay
                $0.channel = .web
                $0.trackingCode = submitted.trackingCode
                $0.name = "Rusdiansyah"
                $0.phone = "0812-3456-7890"
            })
        }

        // Export: one bundle, a part from each service, holding what each keeps. Each service answers
        // from what it has applied so far: assignment records the person from intake's topic in a
        // consumer group of its own, which may still be behind the case; the test asks again until
        // every service has caught up with the submission (notification's contact likewise).
        var export = try await Self.completed(services, nik: form.person.nik, .export)
        let caughtUp = ContinuousClock.now + .seconds(30)
        func holds(_ service: String, _ text: String) -> Bool {
            export.answers.contains { $0.service == service && $0.exportJson.contains(text) }
        }
        while !(holds("assignment", form.person.nik) && holds("notification", "6281234567890")), ContinuousClock.now < caughtUp {
            try await Task.sleep(for: .milliseconds(500))
            export = try await Self.completed(services, nik: form.person.nik, .export)
        }
        #expect(Set(export.answers.map(\.service)) == ["intake", "verification", "assignment", "notification", "survey"])
        #expect(export.referralIds == [submitted.referralID])
        let parts = Dictionary(uniqueKeysWithValues: export.answers.map { ($0.service, $0.exportJson) })
        let intakePart = try #require(parts["intake"])
        let verificationPart = try #require(parts["verification"])
        let assignmentPart = try #require(parts["assignment"])
        let notificationPart = try #require(parts["notification"])
        let surveyPart = try #require(parts["survey"])
        #expect(intakePart.contains("Siti Aminah") && intakePart.contains(submitted.trackingCode))
        #expect(verificationPart.contains(form.person.nik))
        #expect(assignmentPart.contains(form.person.nik))
        #expect(notificationPart.contains("6281234567890"))
        #expect(surveyPart.contains("Rusdiansyah") && surveyPart.contains("Petugas belum datang"))
        #expect(export.answers.allSatisfy { $0.records >= 1 }, "\(export.answers.map { "\($0.service): \($0.records)" })")

        // Erasure waits until the referral is closed.
        let refused = await #expect(throws: RPCError.self) {
            try await Self.admin(services) { client in
                try await client.openDataSubjectRequest(.with {
                    $0.nik = form.person.nik
                    $0.kind = .erasure
                    $0.reason = "Permintaan penghapusan"
                })
            }
        }
        #expect(refused?.code == .failedPrecondition && refused?.message.contains(submitted.trackingCode) == true)

        // Correction: the name where it is kept, the phone where messages go.
        let correction = try await Self.completed(services, nik: form.person.nik, .correction, correction: .with {
            $0.fullName = "Siti Aminah Binti Usman"
            $0.phone = "0813-5555-0100"
        })
        let corrected = Dictionary(uniqueKeysWithValues: correction.answers.map { ($0.service, $0.records) })
        #expect(corrected["intake"] == 1 && corrected["notification"] == 1)
        let after = try await Self.completed(services, nik: form.person.nik, .export)
        let afterParts = Dictionary(uniqueKeysWithValues: after.answers.map { ($0.service, $0.exportJson) })
        let intakeAfter = try #require(afterParts["intake"])
        let notificationAfter = try #require(afterParts["notification"])
        #expect(intakeAfter.contains("Siti Aminah Binti Usman"))
        #expect(notificationAfter.contains("6281355550100") && !notificationAfter.contains("\"phone\":\"6281234567890\""))

        // Withdrawn, then erased: every service anonymises; the NIK finds nothing any more.
        _ = try await #require(services.addresses["intake"]).withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).withdrawReferral(.with {
                $0.key.trackingCode = submitted.trackingCode
                $0.key.pin = submitted.trackingPin
                $0.reason = "Keluarga merawat sendiri"
            })
        }
        let erasure = try await Self.completed(services, nik: form.person.nik, .erasure)
        let erased = Dictionary(uniqueKeysWithValues: erasure.answers.map { ($0.service, $0.records) })
        #expect(erased == ["intake": 1, "verification": 1, "assignment": 1, "notification": 1, "survey": 1])
        let gone = await #expect(throws: RPCError.self) {
            try await Self.admin(services) { client in
                try await client.openDataSubjectRequest(.with {
                    $0.nik = form.person.nik
                    $0.kind = .export
                    $0.reason = "Permintaan salinan"
                })
            }
        }
        #expect(gone?.code == .notFound)
        // The referral itself still counts: its tracking code answers the staff, without a person.
        let summary = try await #require(services.addresses["intake"]).withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with { $0.referralID = submitted.referralID })
        }
        #expect(summary.status == .withdrawn && summary.documents.isEmpty)
        let caseView = try await #require(services.addresses["assignment"]).withStaffClient { client in
            try await Layar_V1_AssignmentService.Client(wrapping: client).getCase(.with { $0.referralID = submitted.referralID })
        }
        #expect(caseView.assessmentNeeds.isEmpty)

        // Audited: the administrator's requests in intake, each service's work in its own log.
        let intakeAudit = try await #require(services.addresses["intake"]).withStaffClient { client in
            try await Layar_V1_AuditService.Client(wrapping: client).listAuditEvents(.with { $0.subject = erasure.requestID })
        }.events
        #expect(intakeAudit.contains { $0.actor == "uji.admin" && $0.method.hasSuffix("OpenDataSubjectRequest") && $0.outcome == "ok" })
        for service in ["verification", "assignment", "notification", "survey"] {
            let events = try await #require(services.addresses[service]).withStaffClient { client in
                try await Layar_V1_AuditService.Client(wrapping: client).listAuditEvents(.with { $0.subject = submitted.referralID })
            }.events
            #expect(
                events.contains { $0.actor == "data-subject-request:\(erasure.requestID)" && $0.method.hasSuffix("erasure") },
                "\(service) recorded its part of the erasure"
            )
        }
    }
}
