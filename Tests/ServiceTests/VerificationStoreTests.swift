import Foundation
import GRPCCore
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import SwiftProtobuf
import Synchronization
import Testing

@testable import LayarVerification

/// The registry import (COPY) and the verifiers' queue against the real PostgreSQL server.
@Suite("Verification store")
struct VerificationStoreTests {
    static func prepare() async throws -> (ScratchDatabase, VerificationStore) {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: VerificationMigrations.all, logger: TestEnvironment.logger).migrate(database.pool)
        // The store, its API, checker and importer share one test clock; nothing here depends on
        // the instant, only on the parts agreeing on it.
        let clock = TestClock().clock
        return (database, VerificationStore(pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock), clock: clock))
    }

    static func extract(rows: Int, seed: UInt64, badEvery: Int = 0) throws -> [String] {
        var generator = SyntheticRegistry(seed: seed)
        generator.badEvery = badEvery
        var lines = [RegistryRowValidator.columns.joined(separator: ",")]
        try generator.lines(rows: rows) { lines.append($0) }
        return lines
    }

    static func importLines(
        _ lines: [String], into database: ScratchDatabase, store: VerificationStore, ratio: Double = 0.01,
        aliases: [String: [String]] = [:], rejectedReport: String? = nil
    ) async throws -> RegistryImporter.Report {
        var importer = RegistryImporter(pool: database.pool, cipher: store.cipher, clock: store.clock, logger: TestEnvironment.logger)
        importer.maximumRejectedRatio = ratio
        importer.aliases = aliases
        importer.rejectedReport = rejectedReport
        importer.chunkSize = 64 * 1024
        // Feed the file in awkward chunks so lines straddle them.
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
        var offset = 0
        return try await importer.importLines(source: "DTSEN uji", snapshotDate: CivilDate(year: 2026, month: 10, day: 1)) {
            guard offset < bytes.count else { return nil }
            let end = min(offset + 7_777, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    static func nik(of line: String) -> String { String(line.split(separator: ",")[1]) }

    /// `message` as an older client sends it: with a string in the now reserved field `number`
    /// (an unknown field to today's code).
    static func withLegacyField<M: SwiftProtobuf.Message>(_ number: Int, _ value: String, _ message: M) throws -> M {
        let bytes = Array(value.utf8)
        let legacy: [UInt8] = [UInt8(number << 3 | 2), UInt8(bytes.count)] + bytes
        let decoded = try M(serializedBytes: try message.serializedBytes() + legacy)
        #expect(!decoded.unknownFields.data.isEmpty)
        return decoded
    }

    @Test("a good extract loads as the current snapshot, looked up by NIK and by family card")
    func goodImport() async throws {
        let (database, store) = try await Self.prepare()
        var lines = try Self.extract(rows: 3_000, seed: 1)
        // An address quoted with a quote inside, and no decile (a DTKS-era row); then a row whose
        // quote stands inside an unquoted field, which is re-quoted for COPY.
        let parts = lines[20].components(separatedBy: "\"")  // [fields before, the address, ",decile,..."]
        var after = parts[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        after[1] = ""
        lines[20] = parts[0] + #""Jl. A. Yani, RT 02 ""Gang Damai""""# + after.joined(separator: ",")
        let registryID = String(lines[20].prefix { $0 != "," })
        let odd = lines[30].components(separatedBy: "\"")
        lines[30] = odd[0] + "Gang 5\" Barat" + odd[2]
        let oddID = String(lines[30].prefix { $0 != "," })
        let report = try await Self.importLines(lines, into: database, store: store)
        #expect(report.rows == 3_000 && report.rejected == 0, "\(report.rejections)")
        let stored = try await database.pool.query(
            "SELECT decile FROM registry_current WHERE registry_id = $1", [registryID]
        ).first
        #expect(try stored?.decode(Int?.self, "decile") == nil)
        #expect(try await database.pool.query("SELECT 1 FROM registry_current WHERE registry_id = $1", [oddID]).count == 1)
        // Only what verification uses is kept: no name, birth data or address, NIK and KK as indexes.
        let sample = lines[10].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for value in [sample[1], sample[2], sample[3], "Gang Damai"] {
            let found = try await database.pool.query(
                "SELECT count(*) AS n FROM registry_current r WHERE strpos(r::text, $1) > 0",
                [value]
            ).first?.decode(Int.self, "n")
            #expect(found == 0, "\(value) is stored")
        }
        let fields = lines[10].split(separator: ",", omittingEmptySubsequences: false)
        let match = try await database.pool.withConnection { try await store.registry.person(nik: String(fields[1]), on: $0) }
        #expect(match?.registryID == String(fields[0]))
        #expect(match?.decile == Int(fields[fields.count - 4]))
        let family = try await database.pool.withConnection { try await store.registry.family(kk: String(fields[2]), on: $0) }
        #expect(family.contains(String(fields[0])) && family.count == match?.familyMembers)
        let snapshot = try #require(try await store.snapshot())
        #expect(snapshot.rows == 3_000 && snapshot.source == "DTSEN uji" && snapshot.snapshotDate.year == 2026)
        try await database.drop()
    }

    @Test("bad rows are reported with their line and reason, the rest loads")
    func badRows() async throws {
        let (database, store) = try await Self.prepare()
        var lines = try Self.extract(rows: 2_000, seed: 2)
        lines[5] = "DTSEN-X,123,456,Nama,Paringin,1960-01-01,L,Kepala Keluarga,63.11.06,63.11.06.1023,alamat,3,0,0,0"
        lines[7] = lines[7].replacingOccurrences(of: ",63.11.", with: ",63.10.")
        lines[9] = "DTSEN-\t9" + lines[9].drop { $0 != "," }  // would fail the whole COPY as text
        // A quoted id with a doubled quote loads with one quote (unescaped in place).
        lines[11] = "\"DTSEN-\"\"Q\"\"-11\"" + lines[11].drop { $0 != "," }
        let report = try await Self.importLines(lines, into: database, store: store)
        #expect(report.rows == 1_997 && report.rejected == 3)
        #expect(report.rejections.map(\.line) == [6, 8, 10])
        try #require(report.rejections.count == 3)
        #expect(report.rejections[0].reason.hasPrefix("nik"))
        #expect(report.rejections[1].reason.contains("not in Kabupaten Balangan"))
        #expect(report.rejections[2].reason.contains("registry_id"))
        #expect(try await database.pool.query("SELECT 1 FROM registry_current WHERE registry_id = $1", ["DTSEN-\"Q\"-11"]).count == 1)
        try await database.drop()
    }

    @Test("an extract past the error threshold is refused and the previous snapshot stays")
    func overThreshold() async throws {
        let (database, store) = try await Self.prepare()
        let first = try await Self.importLines(try Self.extract(rows: 500, seed: 3), into: database, store: store)
        await #expect(throws: RegistryImporter.TooManyRejected.self) {
            try await Self.importLines(try Self.extract(rows: 1_000, seed: 4, badEvery: 10), into: database, store: store)
        }
        #expect(try await store.snapshot()?.snapshotID == first.snapshotID)
        let rows = try await database.pool.query("SELECT count(*) AS n FROM registry_current").first?.decode(Int.self, "n")
        #expect(rows == 500)
        await #expect(throws: RegistryImporter.BadHeader.self) {
            try await Self.importLines(["nik,name", "1,2"], into: database, store: store)
        }
        try await database.drop()
    }

    @Test("lookups during a replacement see the old snapshot, then the new one, never a mix or an error")
    func replacementWhileLookingUp() async throws {
        let (database, store) = try await Self.prepare()
        let old = try Self.extract(rows: 2_000, seed: 5)
        let new = try Self.extract(rows: 20_000, seed: 6)
        _ = try await Self.importLines(old, into: database, store: store)
        let oldNIK = Self.nik(of: old[1])
        let watch = Observations()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !watch.done.withLock({ $0 }) {
                    let found = try await database.pool.withConnection { try await store.registry.person(nik: oldNIK, on: $0) } != nil
                    watch.seen.withLock { $0.append(found) }
                }
            }
            group.addTask {
                _ = try await Self.importLines(new, into: database, store: store)
                watch.done.withLock { $0 = true }
            }
            try await group.waitForAll()
        }
        let observations = watch.seen.withLock { $0 }
        #expect(observations.count > 1)
        #expect(observations.first == true)
        // Found until the switch, not found after: one change at most.
        #expect(zip(observations, observations.dropFirst()).filter { $0 != $1 }.count <= 1)
        let rows = try await database.pool.query("SELECT count(*) AS n FROM registry_current").first?.decode(Int.self, "n")
        #expect(rows == 20_000)
        try await database.drop()
    }

    static func submitted(_ form: Layar_V1_ReferralForm, nik: String? = nil) -> Layar_V1_ReferralSubmitted {
        .with {
            $0.referralID = UUID().uuidString.lowercased()
            $0.trackingCode = TrackingCodeStub.next()
            $0.nik = nik ?? form.person.nik
            $0.birthDate = form.person.birthDate
            $0.sex = form.person.sex
            $0.kecamatanCode = form.person.address.kecamatanCode
            $0.desaCode = form.person.address.desaCode
            $0.ppksKind = form.ppksKind
            $0.urgency = form.urgency
            $0.needs = form.needs
            $0.documents = [.with { $0.kind = .ktp }]
        }
    }

    static func feed(_ event: some LayarEvent, store: VerificationStore, database: ScratchDatabase) async throws {
        let message = try KafkaConsumerMessageFactory.message(event, time: store.clock.now)
        try await database.pool.withTransaction { connection in
            try await ReferralChecker(store: store).router.handle(try InboundEvent(message), on: connection)
        }
    }

    /// Runs `body` as the signed-in staff member `username` (the token's identity, as the
    /// authorization interceptor sets it): the actor of every decision.
    static func acting<T: Sendable>(as username: String, _ roles: Set<StaffRole> = [.verifier, .supervisor], _ body: () async throws -> T) async throws -> T {
        try await StaffIdentity.$current.withValue(StaffIdentity(username: username, roles: roles)) { try await body() }
    }

    static func outboxTypes(_ database: ScratchDatabase) async throws -> [String] {
        try await database.pool.query("SELECT event_type FROM outbox ORDER BY id").map { try $0.decode(String.self, "event_type") }
    }

    @Test("a questionable referral waits in the queue; a rejection needs a second person")
    func queueAndTwoPersonRejection() async throws {
        let (database, store) = try await Self.prepare()
        let api = VerificationAPI(store: store)
        // A man's NIK for a woman: identity check fails.
        let event = Self.submitted(SampleReferral.form(), nik: "6311061203580001")
        try await Self.feed(event, store: store, database: database)
        let queue = try await api.listQueue(request: .init(), context: ServerContextStub.context)
        #expect(queue.items.map(\.referralID) == [event.referralID])
        let queued = try #require(queue.items.first)
        #expect(queued.failedChecks.contains("identity") && queued.state == .queued)
        let filtered = try await api.listQueue(request: .with { $0.kecamatanCode = "63.11.01" }, context: ServerContextStub.context)
        #expect(filtered.items.isEmpty)

        // An older client still sends the reserved actor_id (field 2), naming a colleague: nothing
        // reads it, the ledger names the token's identity.
        let proposal = try Self.withLegacyField(2, "VER-09", Layar_V1_DecideRequest.with {
            $0.referralID = event.referralID
            $0.proposeRejection = .with {
                $0.reason = .identityMismatch
                $0.note = "NIK milik orang lain."
            }
        })
        let proposed = try await Self.acting(as: "VER-01") { try await api.decide(request: proposal, context: ServerContextStub.context) }
        #expect(proposed.state == .rejectionProposed)
        let sameAgain = await #expect(throws: RPCErrorMatcher.self) {
            do {
                _ = try await Self.acting(as: "VER-01") { try await api.confirmRejection(request: .with {
                    $0.referralID = event.referralID
                    $0.confirm = true
                }, context: ServerContextStub.context) }
            } catch { throw RPCErrorMatcher(error) }
        }
        #expect(sameAgain?.code == "failedPrecondition")
        #expect(
            try await Self.outboxTypes(database) == [Layar_V1_ReferralQueued.eventType, Layar_V1_RejectionProposed.eventType],
            "no rejection before the second person"
        )
        let rejected = try await Self.acting(as: "SPV-01") { try await api.confirmRejection(request: .with {
            $0.referralID = event.referralID
            $0.confirm = true
        }, context: ServerContextStub.context) }
        #expect(rejected.state == .rejected)
        #expect(rejected.decisions.map(\.action) == ["queued", "rejection_proposed", "rejection_confirmed"])
        #expect(rejected.decisions.map(\.actorID) == ["system", "VER-01", "SPV-01"])
        #expect(try await Self.outboxTypes(database).last == Layar_V1_ReferralRejected.eventType)
        try await database.drop()
    }

    @Test("a verifier verifies or asks for information from the queue; decisions need the right state")
    func verifierDecisions() async throws {
        let (database, store) = try await Self.prepare()
        let api = VerificationAPI(store: store)
        let first = Self.submitted(SampleReferral.form(), nik: "6311061203580001")
        let second = Self.submitted(SampleReferral.form(), nik: "6311061203580002")
        try await Self.feed(first, store: store, database: database)
        try await Self.feed(second, store: store, database: database)
        let verified = try await Self.acting(as: "VER-01") { try await api.decide(request: .with {
            $0.referralID = first.referralID
            $0.verify = .with { $0.note = "KTP menunjukkan data benar; salah ketik jenis kelamin." }
        }, context: ServerContextStub.context) }
        #expect(verified.state == .verified)
        let asked = try await Self.acting(as: "VER-01") { try await api.decide(request: .with {
            $0.referralID = second.referralID
            $0.requestInformation = .with {
                $0.missingDocuments = [.kk]
                $0.message = "Mohon unggah Kartu Keluarga untuk memastikan identitas."
            }
        }, context: ServerContextStub.context) }
        #expect(asked.state == .informationRequested)
        let again = await #expect(throws: RPCErrorMatcher.self) {
            do {
                _ = try await Self.acting(as: "VER-02") { try await api.decide(request: .with {
                    $0.referralID = first.referralID
                    $0.verify = .init()
                }, context: ServerContextStub.context) }
            } catch { throw RPCErrorMatcher(error) }
        }
        #expect(again?.code == "failedPrecondition")
        let invalid = await #expect(throws: (any Error).self) {
            try await Self.acting(as: "VER-03") { try await api.decide(request: .with {
                $0.referralID = second.referralID
                $0.proposeRejection = .init()
            }, context: ServerContextStub.context) }
        }
        #expect((invalid as? any RPCErrorConvertible)?.rpcErrorCode == .invalidArgument)
        // Who decided is the token's identity: a decision without a staff identity is refused.
        let anonymous = await #expect(throws: RPCError.self) {
            try await api.decide(request: .with {
                $0.referralID = second.referralID
                $0.verify = .init()
            }, context: ServerContextStub.context)
        }
        #expect(anonymous?.code == .unauthenticated)
        #expect(try await Self.outboxTypes(database) == [
            Layar_V1_ReferralQueued.eventType, Layar_V1_ReferralQueued.eventType,
            Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralInformationRequested.eventType,
        ])
        try await database.drop()
    }

    @Test("a person outside the loaded registry is verified and proposed for registration; one in it carries the decile")
    func registryPath() async throws {
        let (database, store) = try await Self.prepare()
        let lines = try Self.extract(rows: 200, seed: 7)
        _ = try await Self.importLines(lines, into: database, store: store)
        let outsider = Self.submitted(SampleReferral.uniqueForm())
        try await Self.feed(outsider, store: store, database: database)
        // Someone from the extract: same NIK, birth date and sex as the registry has them.
        let fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let date = fields[5].split(separator: "-").compactMap { Int32($0) }
        var insider = Self.submitted(SampleReferral.form(), nik: fields[1])
        insider.birthDate = .with { $0.year = date[0]; $0.month = date[1]; $0.day = date[2] }
        insider.sex = fields[6] == "P" ? .female : .male
        insider.kecamatanCode = fields[8]
        insider.desaCode = fields[9]
        try await Self.feed(insider, store: store, database: database)
        #expect(try await Self.outboxTypes(database) == [
            Layar_V1_ReferralVerified.eventType, Layar_V1_RegistryProposalRaised.eventType, Layar_V1_ReferralVerified.eventType,
        ])
        let payloads = try await database.pool.query(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", [Layar_V1_ReferralVerified.eventType]
        ).map { try Layar_V1_ReferralVerified(serializedBytes: try store.cipher.open(try $0.decode([UInt8].self, "payload"), Outbox.payloadField)) }
        try #require(payloads.count == 2)
        #expect(!payloads[0].inRegistry && payloads[0].decile == 0)
        #expect(payloads[1].inRegistry && payloads[1].decile == Int32(fields[fields.count - 4]))
        // The same person again, while the first is open: the verifier must look.
        var twin = insider
        twin.referralID = UUID().uuidString.lowercased()
        try await Self.feed(twin, store: store, database: database)
        let twinReferralID = try #require(ReferralID(twin.referralID))
        let twinCase = try #require(try await store.verificationCase(twinReferralID))
        #expect(twinCase.state == .queued && twinCase.checks.contains { $0.name == .openCase && !$0.passed })
        try await database.drop()
    }
}

/// What concurrent lookups saw during an import.
final class Observations: Sendable {
    let seen = Mutex<[Bool]>([])
    let done = Mutex(false)
}

/// Distinct tracking codes for events built in tests.
enum TrackingCodeStub {
    static let counter = Mutex(0)
    static func next() -> String {
        counter.withLock { value in
            value += 1
            return String(format: "LYR-TEST-%04d", value)
        }
    }
}
