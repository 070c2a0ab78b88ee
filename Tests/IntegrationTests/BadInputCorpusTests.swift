import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Logging
import SwiftProtobuf
import Synchronization
import Testing

/// A corpus of malformed requests against the real services: each gets INVALID_ARGUMENT (or the
/// status named) with the offending fields in a `BadRequest` detail, nothing is stored, and every
/// service still answers its health check afterwards.
@Suite("Bad-input corpus", .serialized)
struct BadInputCorpusTests {
    typealias Clients = (
        intake: Layar_V1_IntakeService.Client<HTTP2ClientTransport.Posix>,
        assignment: Layar_V1_AssignmentService.Client<HTTP2ClientTransport.Posix>,
        partner: Layar_V1_PartnerService.Client<HTTP2ClientTransport.Posix>,
        survey: Layar_V1_SurveyService.Client<HTTP2ClientTransport.Posix>,
        // The connections themselves, for requests that generated clients cannot build.
        intakeConnection: GRPCClient<HTTP2ClientTransport.Posix>,
        surveyConnection: GRPCClient<HTTP2ClientTransport.Posix>
    )

    /// One malformed request: its name, the call, the status and the fields it must name.
    struct Case: Sendable {
        var name: String
        var code: RPCError.Code = .invalidArgument
        var fields: [String]
        var call: @Sendable (Clients) async throws -> Void
    }

    /// The NIKs of every form the corpus submitted: none of them may be stored. (Other suites submit
    /// referrals at the same time, so a count of all referrals would not do.)
    static let submittedNIKs = Mutex<[String]>([])

    static func form(_ change: @escaping @Sendable (inout Layar_V1_ReferralForm) -> Void) -> @Sendable (Clients) async throws -> Void {
        { clients in
            var form = SampleReferral.uniqueForm()
            change(&form)
            submittedNIKs.withLock { $0.append(form.person.nik) }
            _ = try await clients.intake.submitReferral(.with { $0.form = form })
        }
    }

    static func submission(_ name: String, _ fields: [String], _ change: @escaping @Sendable (inout Layar_V1_ReferralForm) -> Void) -> Case {
        Case(name: name, fields: fields, call: form(change))
    }

    /// A form for a person without a NIK, made bad by `change`. Its estimated age (117, or the
    /// out-of-range 130) marks it: no other suite submits those, so none may be stored.
    static func unidentified(_ name: String, _ fields: [String], _ change: @escaping @Sendable (inout Layar_V1_ReferralForm) -> Void) -> Case {
        Case(name: name, fields: fields) { clients in
            var form = SampleReferral.formWithoutNIK(estimatedAge: markerAge)
            change(&form)
            _ = try await clients.intake.submitReferral(.with { $0.form = form })
        }
    }

    static let markerAge: Int32 = 117

    static let long = String(repeating: "panjang ", count: 1_250)  // 10,000 characters
    static let randomID = UUID().uuidString.lowercased()

    static let cases: [Case] = [
        // A person without a NIK or papers.
        unidentified("no NIK, and no place where the person was found", ["form.person.unknown_identity.found_at"]) { $0.person.unknownIdentity.foundAt = "" },
        unidentified("no NIK, yet a NIK given", ["form.person.nik"]) { $0.person.nik = "6311065203580001" },
        unidentified("no NIK, an estimated age of 130", ["form.person.unknown_identity.estimated_age"]) { $0.person.unknownIdentity.estimatedAge = 130 },
        unidentified("no NIK, and no contact for the applicant", ["form.applicant.phone"]) {
            $0.applicant.phone = ""
            $0.applicant.preferredChannel = .none
        },
        unidentified("no NIK, an adult marked as a child", ["form.person.is_child"]) { $0.person.isChild = true },
        unidentified("no NIK, a 2,000-character appearance", ["form.person.unknown_identity.appearance"]) {
            $0.person.unknownIdentity.appearance = String(repeating: "ciri ", count: 400)
        },
        // Identity.
        submission("NIK too short", ["form.person.nik"]) { $0.person.nik = "123" },
        submission("NIK of letters", ["form.person.nik"]) { $0.person.nik = "abcdefghijklmnop" },
        submission("NIK in full-width digits", ["form.person.nik"]) { $0.person.nik = "６３１１０６５２０３５８０００１" },
        submission("NIK of an unknown province", ["form.person.nik"]) { $0.person.nik = "9911065203580001" },
        submission("NIK with serial 0000", ["form.person.nik"]) { $0.person.nik = "6311065203580000" },
        submission("NIK with day 72", ["form.person.nik"]) { $0.person.nik = "6311067203580001" },
        submission("NIK with SQL", ["form.person.nik"]) { $0.person.nik = "1' OR '1'='1" },
        submission("NIK of a man for a woman", ["form.person.sex"]) { $0.person.sex = .male },
        submission("30 February", ["form.person.birth_date"]) { $0.person.birthDate = .with { $0.year = 1958; $0.month = 2; $0.day = 30 } },
        submission("born in the future", ["form.person.birth_date"]) { $0.person.birthDate = .with { $0.year = 2099; $0.month = 1; $0.day = 1 } },
        submission("born in year 0", ["form.person.birth_date"]) { $0.person.birthDate = .with { $0.year = 0; $0.month = 1; $0.day = 1 } },
        submission("no birth date", ["form.person.birth_date"]) { $0.person.clearBirthDate() },
        submission("sex missing", ["form.person.sex"]) { $0.person.sex = .unspecified },
        submission("sex out of range", ["form.person.sex"]) { $0.person.sex = .UNRECOGNIZED(7) },
        submission("empty name", ["form.person.full_name"]) { $0.person.fullName = "" },
        submission("blank name", ["form.person.full_name"]) { $0.person.fullName = " \t\n " },
        submission("10,000-character name", ["form.person.full_name"]) { $0.person.fullName = long },
        submission("script in the name", ["form.person.full_name"]) { $0.person.fullName = "<script>alert(1)</script>" },
        submission("SQL in the name", ["form.person.full_name"]) { $0.person.fullName = "Robert'); DROP TABLE referrals;--" },
        submission("template in the name", ["form.person.full_name"]) { $0.person.fullName = "{{code}} {{{worker}}}" },
        submission("control character in the name", ["form.person.full_name"]) { $0.person.fullName = "Siti\u{0}Aminah" },
        submission("family card of 5 digits", ["form.person.family_card_number"]) { $0.person.familyCardNumber = "12345" },
        submission("family card of letters", ["form.person.family_card_number"]) { $0.person.familyCardNumber = "KKKKKKKKKKKKKKKK" },
        submission("10,000-character birth place", ["form.person.birth_place"]) { $0.person.birthPlace = long },
        submission("person's phone of 3 digits", ["form.person.phone"]) { $0.person.phone = "123" },
        submission("child flag on an adult", ["form.person.is_child"]) { $0.person.isChild = true },
        // Address.
        submission("kecamatan outside Balangan", ["form.person.address.kecamatan_code"]) { $0.person.address.kecamatanCode = "63.11.99" },
        submission("SQL as kecamatan", ["form.person.address.kecamatan_code"]) { $0.person.address.kecamatanCode = "'; DROP TABLE referrals; --" },
        submission("desa of another kecamatan", ["form.person.address.desa_code"]) { $0.person.address.desaCode = "63.11.01.2001" },
        submission("RT of letters", ["form.person.address.rt"]) { $0.person.address.rt = "abcd" },
        submission("RW of four digits", ["form.person.address.rw"]) { $0.person.address.rw = "1234" },
        submission("10,000-character street", ["form.person.address.street"]) { $0.person.address.street = long },
        submission("10,000-character dusun", ["form.person.address.dusun"]) { $0.person.address.dusun = long },
        // The referral.
        submission("PPKS-99", ["form.ppks_kind"]) { $0.ppksKind = "PPKS-99" },
        submission("no PPKS kind", ["form.ppks_kind"]) { $0.ppksKind = "" },
        submission("empty description", ["form.description"]) { $0.description_p = "" },
        submission("10,000-character description", ["form.description"]) { $0.description_p = long },
        submission("no needs", ["form.needs"]) { $0.needs = [] },
        submission("an unknown need", ["form.needs"]) { $0.needs = [.UNRECOGNIZED(99)] },
        submission("100,000 repeated needs", ["form.needs"]) { $0.needs = Array(repeating: .basicNeeds, count: 100_000) },
        submission("urgency out of range", ["form.urgency"]) { $0.urgency = .UNRECOGNIZED(42) },
        submission("no channel", ["form.channel"]) { $0.channel = .unspecified },
        submission("a partner channel at intake", ["form.channel"]) { $0.channel = .partner },
        // The applicant and consent.
        submission("no relationship", ["form.applicant.relationship"]) { $0.applicant.relationship = .unspecified },
        submission("applicant phone of letters", ["form.applicant.phone"]) { $0.applicant.phone = "nomor saya" },
        submission("e-mail without @", ["form.applicant.email"]) { $0.applicant.email = "bukan-email" },
        submission("SMS without a phone", ["form.applicant.phone"]) { $0.applicant.phone = "" },
        submission("e-mail channel without an address", ["form.applicant.email"]) { $0.applicant.preferredChannel = .email },
        submission("10,000-character applicant name", ["form.applicant.name"]) { $0.applicant.name = long },
        submission("no consent", ["form.consent.given"]) { $0.consent.given = false },
        submission("consent by nobody", ["form.consent.given_by"]) { $0.consent.givenBy = "" },
        submission("a child consenting alone", ["form.consent.giver"]) { form in
            form.person.birthDate = .with { $0.year = 2015; $0.month = 3; $0.day = 12 }
            form.person.nik = "6311065203150001"
            form.person.isChild = true
        },
        // Documents.
        submission("empty document", ["form.documents[0].content"]) { $0.documents = [SampleReferral.document(.ktp, [])] },
        submission("3 MB document", ["form.documents[0].content"]) {
            $0.documents = [SampleReferral.document(.ktp, SampleReferral.jpeg + [UInt8](repeating: 0, count: 3 << 20))]
        },
        submission("a script posing as a photo", ["form.documents[0].content"]) {
            $0.documents = [SampleReferral.document(.ktp, Array("<script>alert(1)</script>".utf8), name: "ktp.jpg")]
        },
        submission("document of no kind", ["form.documents[0].kind"]) { $0.documents = [SampleReferral.document(.unspecified)] },
        submission("1,000-character file name", ["form.documents[0].file_name"]) {
            $0.documents = [SampleReferral.document(.ktp, name: String(repeating: "a", count: 1_000) + ".jpg")]
        },
        submission("nine documents", ["form.documents"]) { $0.documents = Array(repeating: SampleReferral.document(.photo), count: 9) },
        Case(name: "no person", fields: ["form.person"], call: form { $0.clearPerson() }),
        Case(name: "request id not a UUID", fields: ["request_id"]) { clients in
            let form = SampleReferral.uniqueForm()
            submittedNIKs.withLock { $0.append(form.person.nik) }
            _ = try await clients.intake.submitReferral(.with {
                $0.form = form
                $0.requestID = "1; DROP TABLE"
            })
        },
        // Tracking, documents, withdrawal.
        Case(name: "tracking code with SQL", fields: ["key.tracking_code"]) { clients in
            _ = try await clients.intake.getStatus(.with {
                $0.key.trackingCode = "LYR-'; DROP"
                $0.key.pin = "123456"
            })
        },
        Case(name: "tracking with a PIN of letters", fields: ["key.pin"]) { clients in
            _ = try await clients.intake.getStatus(.with {
                $0.key.trackingCode = "LYR-7K3M-Q9TX"
                $0.key.pin = "12ab56"
            })
        },
        Case(name: "tracking with the birth date's digits as PIN", fields: ["key.pin"]) { clients in
            _ = try await clients.intake.getStatus(.with {
                $0.key.trackingCode = "LYR-7K3M-Q9TX"
                $0.key.pin = "19580312"
            })
        },
        Case(name: "adding no documents", fields: ["documents"]) { clients in
            _ = try await clients.intake.addDocuments(.with {
                $0.key.trackingCode = "LYR-7K3M-Q9TX"
                $0.key.pin = "123456"
            })
        },
        Case(name: "withdrawal with a 10,000-character reason", fields: ["reason"]) { clients in
            _ = try await clients.intake.withdrawReferral(.with {
                $0.key.trackingCode = "LYR-7K3M-Q9TX"
                $0.key.pin = "123456"
                $0.reason = long
            })
        },
        // Assignment (staff).
        Case(name: "case of a referral id that is not a UUID", fields: ["referral_id"]) { clients in
            _ = try await clients.assignment.getCase(.with { $0.referralID = "../../etc/passwd" })
        },
        Case(name: "empty assessment", fields: ["needs", "plan", "route"]) { clients in
            _ = try await clients.assignment.recordAssessment(.with { $0.referralID = randomID })
        },
        Case(name: "assessment with an unknown service", fields: ["service"]) { clients in
            _ = try await clients.assignment.recordAssessment(.with {
                $0.referralID = randomID
                $0.needs = "x"
                $0.plan = "y"
                $0.route = .refer
                $0.service = .UNRECOGNIZED(77)
            })
        },
        Case(name: "empty offer", fields: ["institution_code", "letter_number", "summary"]) { clients in
            _ = try await clients.assignment.sendOffer(.with { $0.referralID = randomID })
        },
        Case(name: "reassignment with a 10,000-character reason", fields: ["reason"]) { clients in
            _ = try await clients.assignment.reassignCase(.with {
                $0.referralID = randomID
                $0.caseWorkerID = "PS-01"
                $0.reason = long
            })
        },
        Case(name: "outcome out of range", fields: ["outcome"]) { clients in
            _ = try await clients.assignment.recordOutcome(.with {
                $0.referralID = randomID
                $0.outcome = .UNRECOGNIZED(9)
            })
        },
        Case(name: "case worker of bad id, role, kecamatan and capacity", fields: ["id", "role", "kecamatan_codes[0]", "capacity"]) { clients in
            _ = try await clients.assignment.upsertCaseWorker(.with {
                $0.id = "ps 01; DROP"
                $0.name = "Uji"
                $0.kecamatanCodes = ["99.99.99"]
                $0.capacity = 5_000
            })
        },
        Case(
            name: "institution of bad code, kind, PPKS, services, places and topic",
            fields: ["code", "kind", "ppks_kinds[0]", "services", "capacity_available", "topic_prefix"]
        ) { clients in
            _ = try await clients.assignment.upsertInstitution(.with {
                $0.code = "lower case"
                $0.name = "Uji"
                $0.ppksKinds = ["PPKS-77"]
                $0.capacityTotal = 5
                $0.capacityAvailable = 9
                $0.topicPrefix = "Not A Topic!"
            })
        },
        Case(name: "staff call with a forged token", code: .unauthenticated, fields: []) { clients in
            _ = try await clients.assignment.listUnassignedCases(.init(), metadata: ["authorization": "Bearer eyJhbGciOiJub25lIn0.e30."])
        },
        Case(name: "staff call with a token of a role not allowed", code: .permissionDenied, fields: []) { clients in
            let monitoring = try await TestStaffTokens.token([.monitoring])
            _ = try await clients.assignment.listUnassignedCases(.init(), metadata: ["authorization": .string("Bearer \(monitoring)")])
        },
        Case(name: "partner call without a key", code: .unauthenticated, fields: []) { clients in
            _ = try await clients.partner.listOffers(.init())
        },
        Case(name: "partner call with a forged key", code: .unauthenticated, fields: []) { clients in
            _ = try await clients.partner.answerOffer(.with { $0.offerID = randomID }, metadata: ["authorization": "Bearer lyrp_forged"])
        },
        // Survey and complaints (public).
        Case(name: "survey answers missing", fields: ["answers"]) { clients in
            _ = try await clients.survey.submitResponse(.with { $0.code = "SKM-AAAA-AAAA" })
        },
        Case(name: "complaint with a 10,000-character description", fields: ["description"]) { clients in
            _ = try await clients.survey.fileComplaint(.with { $0.description_p = long + long })
        },
        // Strings that are not UTF-8: protobuf refuses the whole message, so no field can be named.
        Case(name: "invalid UTF-8 in the name", fields: []) { clients in
            var form = SampleReferral.uniqueForm()
            form.person.fullName = invalidUTF8Marker
            submittedNIKs.withLock { $0.append(form.person.nik) }
            try await sendWithInvalidUTF8(
                Layar_V1_SubmitReferralRequest.with { $0.form = form }, method: Layar_V1_IntakeService.Method.SubmitReferral.descriptor,
                response: Layar_V1_SubmitReferralResponse.self, on: clients.intakeConnection
            )
        },
        Case(name: "invalid UTF-8 in the description and the address", fields: []) { clients in
            var form = SampleReferral.uniqueForm()
            form.description_p = "Butuh \(invalidUTF8Marker) pendampingan"
            form.person.address.street = invalidUTF8Marker
            submittedNIKs.withLock { $0.append(form.person.nik) }
            try await sendWithInvalidUTF8(
                Layar_V1_SubmitReferralRequest.with { $0.form = form }, method: Layar_V1_IntakeService.Method.SubmitReferral.descriptor,
                response: Layar_V1_SubmitReferralResponse.self, on: clients.intakeConnection
            )
        },
        Case(name: "invalid UTF-8 in a complaint", fields: []) { clients in
            try await sendWithInvalidUTF8(
                Layar_V1_FileComplaintRequest.with { $0.description_p = "Petugas \(invalidUTF8Marker) tidak datang" },
                method: Layar_V1_SurveyService.Method.FileComplaint.descriptor,
                response: Layar_V1_Complaint.self, on: clients.surveyConnection
            )
        },
    ]

    @Test("at least 60 malformed requests: the right status and fields, nothing stored, every service up")
    func corpus() async throws {
        #expect(Self.cases.count >= 60)
        try await StackLock.exclusively { try await corpusAlone() }
    }

    private func corpusAlone() async throws {
        let services = try ServiceProcesses()
        do {
            try await services.waitUntilServing()
            var failures: [String] = []
            try await #require(services.addresses["intake"]).withStaffClient { intake in
                try await #require(services.addresses["assignment"]).withStaffClient { assignment in
                    try await #require(services.addresses["survey"]).withStaffClient { survey in
                        let clients: Clients = (
                            Layar_V1_IntakeService.Client(wrapping: intake), Layar_V1_AssignmentService.Client(wrapping: assignment),
                            Layar_V1_PartnerService.Client(wrapping: assignment), Layar_V1_SurveyService.Client(wrapping: survey),
                            intake, survey
                        )
                        for item in Self.cases {
                            if let failure = await Self.check(item, clients) { failures.append(failure) }
                        }
                    }
                }
            }
            let report = failures.joined(separator: "\n")
            #expect(failures.isEmpty, "\(failures.count) of \(Self.cases.count) cases:\n\(report)")
            let niks = Self.submittedNIKs.withLock { $0 }
            #expect(niks.count >= 55)
            #expect(try await Self.storedReferrals(niks: niks) == 0, "a rejected submission stored nothing")
            #expect(try await Self.storedUnidentified() == 0, "a rejected submission without a NIK stored nothing")
            try services.checkRunning()
            try await services.waitUntilServing(timeout: .seconds(10))
            #expect(services.personalDataInLogs() == [], "personal data of refused requests in the services' logs")
        } catch {
            _ = await services.stop()
            throw error
        }
        _ = await services.stop()
    }

    /// Nil when the case got its status and fields; else what went wrong.
    static func check(_ item: Case, _ clients: Clients) async -> String? {
        do {
            try await item.call(clients)
            return "\(item.name): accepted"
        } catch let error as RPCError {
            guard error.code == item.code else { return "\(item.name): \(error.code) \(error.message)" }
            let fields = Set((try? error.unpackGoogleRPCStatus())?.details.flatMap { $0.badRequest?.violations ?? [] }.map(\.field) ?? [])
            let missing = item.fields.filter { !fields.contains($0) }
            return missing.isEmpty ? nil : "\(item.name): fields \(fields.sorted()) lack \(missing)"
        } catch {
            return "\(item.name): \(error)"
        }
    }

    /// Stands for the bytes that are not UTF-8 in a request built as a Swift string first.
    static let invalidUTF8Marker = "@@NOT-UTF8@@"

    /// Sends `request` serialized, with every ``invalidUTF8Marker`` replaced by as many bytes
    /// that are not UTF-8 (a lone continuation byte, an overlong form, 0xFF): Swift strings cannot
    /// hold such bytes, so the request goes as bytes.
    static func sendWithInvalidUTF8<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request, method: MethodDescriptor, response: Response.Type, on client: GRPCClient<HTTP2ClientTransport.Posix>
    ) async throws {
        let marker = Array(invalidUTF8Marker.utf8)
        let garbage: [UInt8] = [0x80, 0xC0, 0xAF, 0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80]
        var bytes: [UInt8] = try request.serializedBytes()
        var index = 0
        while index + marker.count <= bytes.count {
            if Array(bytes[index..<(index + marker.count)]) == marker {
                bytes.replaceSubrange(index..<(index + marker.count), with: garbage)
                index += garbage.count
            } else {
                index += 1
            }
        }
        try await client.unary(
            request: ClientRequest(message: bytes), descriptor: method, serializer: RawBytes(),
            deserializer: ProtobufDeserializer<Response>(), options: .defaults
        ) { _ = try $0.message }
    }

    /// Sends bytes as they are.
    struct RawBytes: MessageSerializer {
        func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    }

    /// Referrals of people without a NIK bearing the corpus's marker ages.
    static func storedUnidentified() async throws -> Int {
        let pool = PostgresPool(configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")), logger: TestEnvironment.logger)
        defer { Task { await pool.close() } }
        let row = try #require(try await pool.query(
            "SELECT count(*) AS n FROM referrals WHERE estimated_age = ANY($1::integer[])", [PostgresTextArray(["117", "130"])]
        ).first)
        return try row.decode(Int.self, "n")
    }

    /// Referrals of these NIKs in intake's own schema, read with intake's role.
    /// Referrals stored for `niks`, found as intake finds them: by their blind index, computed
    /// with intake's own keys (the test holds its master key).
    static func storedReferrals(niks: [String]) async throws -> Int {
        let pool = PostgresPool(configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL("intake")), logger: TestEnvironment.logger)
        defer { Task { await pool.close() } }
        // Only the blind index is used: the clock is the one intake runs on.
        let cipher = try await TestDataKeys.cipher(on: pool, clock: .system)
        let indexes = niks.map { cipher.blindIndex($0, SealedField("intake.nik")).map { String(format: "%02x", $0) }.joined() }
        let row = try #require(try await pool.query(
            "SELECT count(*) AS n FROM referrals WHERE encode(nik_index, 'hex') = ANY($1::text[])", [PostgresTextArray(indexes)]
        ).first)
        return try row.decode(Int.self, "n")
    }
}
