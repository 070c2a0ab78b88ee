import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import SwiftProtobuf
import Testing

/// The abuse suite: the attacks of the trust-boundary review, each tried from outside against the
/// five real service processes (PostgreSQL, the Kafka protocol), as a stranger without a token or
/// as staff with the wrong one. Every step names the attack it tries; Services/README.md's threat model
/// lists them with what each gets now. Attacks on the portal (its limits behind proxies, sign-in
/// guessing, sessions) are tried on the real portal router in `Portal limits` and `Portal staff
/// accounts`, and on the audit log's owner in `Audit log owner`.
@Suite("Abuse", .serialized)
struct AbuseTests {
    /// Public calls one client may make per window: small, so the probing step reaches it quickly.
    static let publicCallLimit = 40

    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    @Test("strangers and staff with the wrong token, against the real services")
    func abuse() async throws {
        try await StackLock.exclusively {
            let services = try ServiceProcesses(environment: ["LAYAR_PUBLIC_CALL_LIMIT": String(Self.publicCallLimit)])
            do {
                try await services.waitUntilServing()
                let intake = try #require(services.addresses["intake"])
                try await Self.startFromAFreshWindow(services)
                try await Self.strangerWhoKnowsTheNIK(intake, services: services)
                try await Self.reusedRequestID(intake)
                try await Self.nameSomeoneElseAsActor(services)
                try await Self.caseWorkerOutsideTheirCases(services)
                try await Self.contactWithoutConsent(intake, services: services)
                try await Self.probeTrackingCodes(intake)  // last: it spends this client's public budget
                try services.checkRunning()
            } catch {
                _ = await services.stop()
                throw error
            }
            _ = await services.stop()
        }
    }

    // MARK: - The attacks

    /// A stranger who knows only a person's NIK (and so the birth date and sex it encodes)
    /// submits any form with it: the answer looks like any new referral's, the open referral's code
    /// never appears, and neither the birth date nor the stranger's own PIN opens or withdraws it.
    /// The first applicant is told through their own contact.
    static func strangerWhoKnowsTheNIK(_ intake: ServiceAddress, services: ServiceProcesses) async throws {
        let (nik, birthDate) = SampleReferral.uniquePerson()
        let victim = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = SampleReferral.form(nik: nik, birthDate: birthDate)
                $0.requestID = UUID().uuidString
            })
        }
        var strangersForm = SampleReferral.form(nik: nik, birthDate: birthDate, documents: [])
        strangersForm.person.fullName = "Nama Karangan"
        strangersForm.applicant.phone = "0813-0000-1111"
        let stranger = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = strangersForm
                $0.requestID = UUID().uuidString
            })
        }
        #expect(stranger.status == .submitted && stranger.trackingPin.count == 6, "NIK takeover: the answer looks new")
        #expect(stranger.trackingCode != victim.trackingCode && stranger.referralID != victim.referralID, "NIK takeover: no code disclosed")
        #expect(!(try stranger.jsonString()).contains(victim.trackingCode), "NIK takeover: nothing of the open referral in the answer")

        // The victim's code is the one thing the stranger might have from elsewhere (a shared
        // SMS): with the digits of the birth date, or the stranger's own PIN, it opens nothing.
        let birthDigits = String(nik.dropFirst(6).prefix(6))
        for pin in [birthDigits, stranger.trackingPin] where pin != victim.trackingPin {
            let key = Layar_V1_TrackingKey.with {
                $0.trackingCode = victim.trackingCode
                $0.pin = pin
            }
            #expect(await rpcErrorCode {
                _ = try await intake.withClient(bearerToken: nil) {
                    try await Layar_V1_IntakeService.Client(wrapping: $0).getStatus(.with { $0.key = key })
                }
            } == .notFound, "NIK takeover: status with PIN \(pin)")
            #expect(await rpcErrorCode {
                _ = try await intake.withClient(bearerToken: nil) {
                    try await Layar_V1_IntakeService.Client(wrapping: $0).withdrawReferral(.with { $0.key = key })
                }
            } == .notFound, "NIK takeover: withdrawal with PIN \(pin)")
        }
        let own = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).getStatus(.with {
                $0.key.trackingCode = victim.trackingCode
                $0.key.pin = victim.trackingPin
            })
        }
        #expect(own.status != .withdrawn, "NIK takeover: the victim's referral is still theirs")
        // The victim hears of the other submission on their own channel; the stranger is
        // acknowledged like any applicant, under their own code.
        _ = try await WalkingSkeletonTests.eventually("the victim told of another submission", services: services) {
            services.sentNotifications.split(separator: "\n").contains {
                $0.contains(victim.trackingCode) && $0.contains("pengajuan lain")
            } ? true : nil
        }
        _ = try await WalkingSkeletonTests.eventually("the stranger acknowledged", services: services) {
            services.sentNotifications.contains(stranger.trackingCode) ? true : nil
        }
        #expect(!services.sentNotifications.split(separator: "\n").contains {
            $0.contains(stranger.trackingCode) && $0.contains(victim.trackingCode)
        }, "NIK takeover: no message names both codes")
    }

    /// A form page served from a cache reuses a `request_id`: the second form is refused with
    /// ALREADY_EXISTS and nothing of it is stored (it later goes in as a new referral), and the
    /// first one's code is not disclosed.
    static func reusedRequestID(_ intake: ServiceAddress) async throws {
        let requestID = UUID().uuidString
        let (firstNIK, firstBirth) = SampleReferral.uniquePerson()
        let (secondNIK, secondBirth) = SampleReferral.uniquePerson()
        let second = SampleReferral.form(nik: secondNIK, birthDate: secondBirth)
        let first = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = SampleReferral.form(nik: firstNIK, birthDate: firstBirth)
                $0.requestID = requestID
            })
        }
        var refusal: RPCError?
        do {
            _ = try await intake.withClient(bearerToken: nil) {
                try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                    $0.form = second
                    $0.requestID = requestID
                })
            }
        } catch let error as RPCError {
            refusal = error
        }
        #expect(refusal?.code == .alreadyExists, "reused request_id: refused")
        #expect(refusal.map { !$0.message.contains(first.trackingCode) } ?? true, "reused request_id: the first code not disclosed")
        let later = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = second
                $0.requestID = UUID().uuidString
            })
        }
        let summary = try await intake.withStaffClient {
            try await Layar_V1_IntakeService.Client(wrapping: $0).getReferral(.with { $0.trackingCode = later.trackingCode })
        }
        #expect(summary.referralID == later.referralID && summary.linkedSubmissions.isEmpty, "reused request_id: nothing of the second form was kept")
    }

    /// The caller chooses who acted: office channels without the office's credential, and a
    /// staff call that names a colleague in the former actor fields.
    static func nameSomeoneElseAsActor(_ services: ServiceProcesses) async throws {
        let intake = try #require(services.addresses["intake"])
        let survey = try #require(services.addresses["survey"])
        var walkIn = SampleReferral.uniqueForm()
        walkIn.channel = .operator
        let verifier = try await TestStaffTokens.token([.verifier], username: "ver.rina")
        for (token, expected) in [(nil, RPCError.Code.unauthenticated), (verifier, .permissionDenied)] as [(String?, RPCError.Code)] {
            #expect(await rpcErrorCode {
                _ = try await intake.withClient(bearerToken: token) {
                    try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with { $0.form = walkIn })
                }
            } == expected, "walk-in without an operator's token (\(token == nil ? "none" : "verifier"))")
        }
        #expect(await rpcErrorCode {
            _ = try await survey.withClient(bearerToken: nil) {
                try await Layar_V1_SurveyService.Client(wrapping: $0).fileComplaint(.with {
                    $0.description_p = "Pengaduan atas nama petugas lain."
                    $0.category = .serviceDelay
                    $0.channel = .operator
                })
            }
        } == .unauthenticated, "office complaint without a token")
        #expect(await rpcErrorCode {
            _ = try await survey.withClient(bearerToken: nil) {
                try await Layar_V1_SurveyService.Client(wrapping: $0).fileComplaint(.with {
                    $0.description_p = "Pengaduan lewat lembaga."
                    $0.category = .serviceDelay
                    $0.channel = .partner
                })
            }
        } == .invalidArgument, "partner complaint without a partner credential")
    }

    /// A case worker reads referrals that are not theirs outside assignment: intake's summary and
    /// documents, verification's findings, the messages and the survey code.
    static func caseWorkerOutsideTheirCases(_ services: ServiceProcesses) async throws {
        let intake = try #require(services.addresses["intake"])
        let submitted = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = SampleReferral.uniqueForm()
                $0.requestID = UUID().uuidString
            })
        }
        let summary = try await intake.withStaffClient {
            try await Layar_V1_IntakeService.Client(wrapping: $0).getReferral(.with { $0.referralID = submitted.referralID })
        }
        let document = try #require(summary.documents.first)
        let stranger = try await TestStaffTokens.token([.caseWorker], username: "ps.lain", caseWorkerID: "PS-LAIN")
        let reads: [(String, String, @Sendable (Client) async throws -> Void)] = [
            ("intake", "summary", { _ = try await Layar_V1_IntakeService.Client(wrapping: $0).getReferral(.with { $0.referralID = submitted.referralID }) }),
            ("intake", "document", {
                _ = try await Layar_V1_IntakeService.Client(wrapping: $0).getDocument(.with {
                    $0.referralID = submitted.referralID
                    $0.documentID = document.documentID
                })
            }),
            ("verification", "findings", {
                _ = try await Layar_V1_VerificationService.Client(wrapping: $0).getVerification(.with { $0.referralID = submitted.referralID })
            }),
            ("notification", "messages", {
                _ = try await Layar_V1_NotificationService.Client(wrapping: $0).listMessages(.with { $0.referralID = submitted.referralID })
            }),
        ]
        for (service, what, call) in reads {
            let address = try #require(services.addresses[service])
            let code = await rpcErrorCode { _ = try await address.withClient(bearerToken: stranger) { try await call($0) } }
            #expect(code == .permissionDenied, "a case worker reads another's \(what) at \(service): \(String(describing: code))")
        }
    }

    /// Contacting someone who did not consent to NOTIFICATION: the referral goes on, no message
    /// is sent about it, while a consenting applicant's arrives.
    static func contactWithoutConsent(_ intake: ServiceAddress, services: ServiceProcesses) async throws {
        var silent = SampleReferral.uniqueForm()
        silent.consent.purposes = [.verification, .referral]
        let quiet = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = silent
                $0.requestID = UUID().uuidString
            })
        }
        let told = try await intake.withClient(bearerToken: nil) {
            try await Layar_V1_IntakeService.Client(wrapping: $0).submitReferral(.with {
                $0.form = SampleReferral.uniqueForm()
                $0.requestID = UUID().uuidString
            })
        }
        _ = try await WalkingSkeletonTests.eventually("the consenting applicant told", services: services) {
            services.sentNotifications.contains(told.trackingCode) ? true : nil
        }
        #expect(!services.sentNotifications.contains(quiet.trackingCode), "contact without NOTIFICATION consent")
    }

    /// One client probes tracking codes straight at intake's gRPC, claiming a new address in
    /// `X-Forwarded-For` on every call (it is no trusted caller): refused once past its budget.
    static func probeTrackingCodes(_ intake: ServiceAddress) async throws {
        var answers: [RPCError.Code?] = []
        try await intake.withClient(bearerToken: nil) { client in
            let intake = Layar_V1_IntakeService.Client(wrapping: client)
            for attempt in 0..<(Self.publicCallLimit + 10) {
                var metadata = Metadata()
                metadata.addString("198.51.100.\(attempt % 250)", forKey: "x-forwarded-for")
                answers.append(await rpcErrorCode {
                    _ = try await intake.getStatus(.with {
                        $0.key.trackingCode = RandomCode.generate(prefix: "LYR")  // well formed, given to nobody
                        $0.key.pin = "123456"
                    }, metadata: metadata)
                })
            }
        }
        let firstRefused = try #require(answers.firstIndex(of: .resourceExhausted), "probing: never throttled")
        #expect(firstRefused <= Self.publicCallLimit, "probing: throttled within the budget")
        #expect(answers[firstRefused...].allSatisfy { $0 == .resourceExhausted }, "probing: stays throttled")
        #expect(answers[..<firstRefused].allSatisfy { $0 == .notFound }, "probing: every guess before answered NOT_FOUND, nothing else")
    }

    // MARK: - Helpers

    /// The public-call counters are shared through PostgreSQL for the window: an earlier run of
    /// the suite within it would leave this client's budget spent. The suite starts from zero.
    static func startFromAFreshWindow(_ services: ServiceProcesses) async throws {
        let pool = PostgresPool(
            configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")), logger: TestEnvironment.logger
        )
        try await pool.query("DELETE FROM rate_limit_windows")
        await pool.close()
    }
}
