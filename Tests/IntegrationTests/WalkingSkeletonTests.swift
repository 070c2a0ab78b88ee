import Foundation
import GRPCCore
import GRPCProtobuf
import LayarDomain
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

    @Test("referrals through the five real services: lifecycle, documents loop, duplicates, tracking, withdrawal")
    func referralLifecycle() async throws {
        try await StackLock.exclusively { try await referralLifecycleAlone() }
    }

    private func referralLifecycleAlone() async throws {
        let services = try ServiceProcesses()
        do {
            try await services.waitUntilServing()
            try await lifecycle(services)
            try await intakeJourney(services)
            try services.checkRunning()
        } catch {
            _ = await services.stop()
            throw error
        }
        let statuses = await services.stop()
        for (name, status) in statuses {
            #expect(status == 0, "\(name) did not shut down cleanly on SIGTERM: \(String(describing: status))")
        }
        #expect(services.personalDataInLogs() == [], "personal data in the services' logs")
        // A stolen dump shows referrals (their tracking codes) but none of the people in them.
        let dump = try DatabaseDump.services()
        #expect(dump.contains("COPY intake.referrals") && dump.contains("LYR-"), "the dump holds the referrals")
        #expect(SamplePersonalData.found(in: dump, alsoAsHex: true) == [], "personal data in plain text in a dump of the services' schemas")
    }

    /// submitted -> verified -> assigned -> referred to a partner agency -> completed, with messages
    /// and a survey invitation.
    private func lifecycle(_ services: ServiceProcesses) async throws {
        let intake = try #require(services.addresses["intake"])
        let assignment = try #require(services.addresses["assignment"])

        // Bad input: INVALID_ARGUMENT with field violations.
        let rejected = await #expect(throws: RPCError.self) {
            try await intake.withStaffClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with {
                    $0.form = SampleReferral.uniqueForm()
                    $0.form.person.nik = "123"
                })
            }
        }
        #expect(rejected?.code == .invalidArgument)
        let fields = try rejected?.unpackGoogleRPCStatus()?.details.flatMap { $0.badRequest?.violations ?? [] }.map(\.field)
        #expect(fields == ["form.person.nik"])

        let submitted = try await intake.withStaffClient { client in
            try await Layar_V1_IntakeService.Client(wrapping: client).submitReferral(.with { $0.form = SampleReferral.uniqueForm() })
        }
        #expect(submitted.status == .submitted)
        #expect(submitted.trackingCode.hasPrefix("LYR-"))
        let referralID = submitted.referralID

        let assigned = try await Self.eventually("status ASSIGNED", services: services) {
            let summary = try await intake.withStaffClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with {
                    $0.trackingCode = submitted.trackingCode
                })
            }
            return summary.status == .assigned ? summary : nil
        }
        #expect(!assigned.caseWorkerName.isEmpty)

        let caseView = try await assignment.withStaffClient { client in
            try await Layar_V1_AssignmentService.Client(wrapping: client).getCase(.with { $0.referralID = referralID })
        }
        #expect(caseView.status == .assigned)
        #expect(caseView.kecamatanCode == "63.11.06")
        #expect(caseView.priority == 45)  // urgent 25 + unknown welfare (no registry snapshot) 10 + base 10
        try await staffAccess(services, caseView: caseView)

        let messages = try await Self.eventually("the applicant's messages", services: services) {
            let messages = try await #require(services.addresses["notification"]).withStaffClient { client in
                try await Layar_V1_NotificationService.Client(wrapping: client).listMessages(.with {
                    $0.referralID = referralID
                })
            }.messages
            return messages.contains { $0.eventType == Layar_V1_CaseAssigned.eventType } ? messages : nil
        }
        let toApplicant = messages.filter { $0.audience == .applicant }
        // Staff read the applicant's messages with the codes masked; the applicant's own copy has them.
        #expect(toApplicant.contains { $0.eventType == Layar_V1_ReferralSubmitted.eventType && $0.body.contains("LYR-••••-••••") })
        #expect(!messages.contains { $0.body.contains(submitted.trackingCode) }, "no tracking code in staff hands")
        #expect(Set(toApplicant.map(\.eventID)).count == toApplicant.count, "one message per event")
        #expect(messages.contains { $0.audience == .caseWorker && $0.recipient == caseView.caseWorkerID && $0.channel == .inbox })
        _ = try await Self.eventually("the first message sent", services: services) {
            services.sentNotifications.contains(submitted.trackingCode) ? true : nil
        }
        let delivered = try await #require(services.addresses["notification"]).withStaffClient { client in
            try await Layar_V1_NotificationService.Client(wrapping: client).listMessages(.with { $0.referralID = referralID })
        }.messages
        #expect(delivered.contains { $0.eventType == Layar_V1_ReferralSubmitted.eventType && $0.status == .sent && $0.channel == .sms })

        let completed = try await partnerLoop(referralID: referralID, services: services)
        #expect(completed.status == .completed)

        let invitation = try await Self.eventually("the survey invitation", services: services) {
            try await #require(services.addresses["survey"]).withStaffClient { client in
                try await Layar_V1_SurveyService.Client(wrapping: client).getInvitation(.with { $0.referralID = referralID })
            }
        }
        #expect(invitation.status == .open)
        #expect(invitation.code.isEmpty, "staff never receive the single-use survey code")
        // The citizen has it from the invitation message.
        let code = try await Self.eventually("the survey code sent to the applicant", services: services) {
            services.sentNotifications.firstMatch(of: /SKM-[23456789A-Z]{4}-[23456789A-Z]{4}/).map { String($0.output) }
        }
        try await answerSurvey(code: code, services: services)

        _ = try await Self.eventually("status COMPLETED", services: services) {
            let summary = try await intake.withStaffClient { client in
                try await Layar_V1_IntakeService.Client(wrapping: client).getReferral(.with { $0.referralID = referralID })
            }
            return summary.status == .completed ? summary : nil
        }

    }

    /// The citizen answers the satisfaction survey with the invitation's code, once; the IKM and
    /// the monitoring report of today count it.
    private func answerSurvey(code: String, services: ServiceProcesses) async throws {
        try await #require(services.addresses["survey"]).withStaffClient { client in
            let survey = Layar_V1_SurveyService.Client(wrapping: client)
            let questionnaire = try await survey.getQuestionnaire(.init())
            let answers = questionnaire.elements.map { element in
                Layar_V1_ElementAnswer.with {
                    $0.element = element.element
                    $0.score = 4
                }
            }
            let request = Layar_V1_SubmitResponseRequest.with {
                $0.code = code
                $0.answers = answers
                $0.suggestion = "Petugas ramah dan cepat."
            }
            _ = try await survey.submitResponse(request)
            let again = await #expect(throws: RPCError.self) { try await survey.submitResponse(request) }
            #expect(again?.code == .failedPrecondition)

            let today = Self.today()
            let period = Layar_V1_PeriodRequest.with {
                $0.from = today
                $0.to = today
            }
            let ikm = try await survey.getIKMReport(period)
            #expect(ikm.respondents >= 1)
            #expect(ikm.population >= 1)
            #expect(!ikm.grade.isEmpty)
            let monitoring = try await Self.eventually("the monitoring report", services: services) {
                let report = try await survey.getMonitoringReport(period)
                return report.referralsCompleted >= 1 ? report : nil
            }
            #expect(monitoring.referralsSubmitted >= 1)
            #expect(monitoring.csv.contains("total,referrals_completed"))
        }
    }

    /// Today in Balangan (WITA, UTC+8) on the system clock, the clock the services under test run on.
    static func today() -> Layar_V1_Date {
        Layar_V1_Date(LayarClock.system.todayInBalangan)
    }

    /// The applicant's side: a referral without identity documents is asked for them, answers
    /// with AddDocuments and goes on to assignment; retries and duplicates open no second case (a
    /// duplicate is answered like a new referral, with its own code); tracking needs the PIN;
    /// withdrawal closes the case.
    private func intakeJourney(_ services: ServiceProcesses) async throws {
        try await #require(services.addresses["intake"]).withStaffClient { client in
            let intake = Layar_V1_IntakeService.Client(wrapping: client)
            let form = SampleReferral.uniqueForm(documents: [SampleReferral.document(.photo)])
            let requestID = UUID().uuidString
            let submitted = try await intake.submitReferral(.with {
                $0.form = form
                $0.requestID = requestID
            })
            let retried = try await intake.submitReferral(.with {
                $0.form = form
                $0.requestID = requestID
            })
            #expect(retried == submitted, "a retry returns the same referral")
            let duplicate = try await intake.submitReferral(.with { $0.form = form })
            #expect(duplicate.status == .submitted && duplicate.trackingCode != submitted.trackingCode)
            #expect(duplicate.trackingPin.count == 6 && duplicate.referralID != submitted.referralID)

            let key = Layar_V1_TrackingKey.with {
                $0.trackingCode = submitted.trackingCode
                $0.pin = submitted.trackingPin
            }
            let asked = try await Self.eventually("status NEEDS_DOCUMENTS", services: services) {
                let view = try await intake.getStatus(.with { $0.key = key })
                return view.status == .needsDocuments ? view : nil
            }
            #expect(asked.missingDocuments == [.ktp, .kk])
            #expect(asked.explanation.contains("KTP"))

            var wrongKey = key
            wrongKey.pin = key.pin == "000000" ? "000001" : "000000"
            let wrong = await #expect(throws: RPCError.self) { try await intake.getStatus(.with { $0.key = wrongKey }) }
            #expect(wrong?.code == .notFound)

            _ = try await intake.addDocuments(.with {
                $0.key = key
                $0.documents = [SampleReferral.document(.kk, SampleReferral.png, name: "kk.png")]
            })
            let assigned = try await Self.eventually("status ASSIGNED after the documents", services: services) {
                let view = try await intake.getStatus(.with { $0.key = key })
                return view.status == .assigned ? view : nil
            }
            #expect(assigned.timeline.map(\.status).starts(with: [.submitted, .needsDocuments, .submitted, .verified]))

            let withdrawn = try await intake.withdrawReferral(.with {
                $0.key = key
                $0.reason = "Sudah dirawat keluarga"
            })
            #expect(withdrawn.status == .withdrawn)
            _ = try await Self.eventually("the case closed as withdrawn", services: services) {
                try await #require(services.addresses["assignment"]).withStaffClient { client in
                    let found = try await Layar_V1_AssignmentService.Client(wrapping: client).getCase(.with {
                        $0.referralID = submitted.referralID
                    })
                    return found.status == .withdrawn ? found : nil
                }
            }
        }
        try services.checkRunning()
    }
}
