import Crypto
import Foundation
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

/// Sealing personal fields, the blind index, and both key rotations against the real key table.
@Suite("Personal data at rest")
struct PersonalDataCipherTests {
    /// What the ciphers of tests that do not move time share.
    static let clock = TestClock()
    static let nik = SealedField("test.nik")
    static let name = SealedField("test.name")

    static func masterKeys(_ ids: String...) -> [String: SymmetricKey] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, keys[$0]!) })
    }

    static let keys = ["m1": SymmetricKey(size: .bits256), "m2": SymmetricKey(size: .bits256)]

    static func prepare() async throws -> ScratchDatabase {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: [RuntimeMigrations.dataKeys], logger: TestEnvironment.logger).migrate(database.pool)
        return database
    }

    @Test("a sealed value opens only in its own field, unaltered, and never shows the plaintext")
    func sealAndOpen() throws {
        let cipher = PersonalDataCipher(keys: .random(), clock: Self.clock.clock)
        let first = cipher.seal("6311065203580001", Self.nik)
        let second = cipher.seal("6311065203580001", Self.nik)
        #expect(first != second, "a fresh nonce per value")
        #expect(try cipher.openString(first, Self.nik) == "6311065203580001")
        #expect(!String(decoding: first, as: UTF8.self).contains("6311065203580001"))
        #expect(PersonalDataCipher.keyID(of: first) == "dk-1")
        #expect(throws: PersonalDataError.cannotOpen(field: "test.name")) { try cipher.open(first, Self.name) }
        var altered = first
        altered[altered.count - 20] ^= 1
        #expect(throws: PersonalDataError.cannotOpen(field: "test.nik")) { try cipher.open(altered, Self.nik) }
        #expect(throws: PersonalDataError.cannotOpen(field: "test.nik")) { try cipher.open(Array("6311065203580001".utf8), Self.nik) }
        // Another service's keys: the same key id opens nothing; a key id it lacks is named.
        #expect(throws: PersonalDataError.cannotOpen(field: "test.nik")) { try PersonalDataCipher(keys: .random(), clock: Self.clock.clock).open(first, Self.nik) }
        let other = DataKeySet(
            sealing: ["dk-9": SymmetricKey(size: .bits256)], usableFrom: ["dk-9": Date(timeIntervalSince1970: 0)],
            index: SymmetricKey(size: .bits256)
        )
        #expect(throws: PersonalDataError.unknownKey("dk-1")) { try PersonalDataCipher(keys: other, clock: Self.clock.clock).open(first, Self.nik) }
    }

    @Test("the blind index is stable per field and key, and differs between fields and keys")
    func blindIndex() {
        let cipher = PersonalDataCipher(keys: .random(), clock: Self.clock.clock)
        #expect(cipher.blindIndex("6311065203580001", Self.nik) == cipher.blindIndex("6311065203580001", Self.nik))
        #expect(cipher.blindIndex("6311065203580001", Self.nik) != cipher.blindIndex("6311065203580002", Self.nik))
        #expect(cipher.blindIndex("6311065203580001", Self.nik) != cipher.blindIndex("6311065203580001", Self.name))
        #expect(cipher.blindIndex("6311065203580001", Self.nik) != PersonalDataCipher(keys: .random(), clock: Self.clock.clock).blindIndex("6311065203580001", Self.nik))
    }

    @Test("the blind indexer is HMAC-SHA256 over the field's name, a zero byte and the value, as swift-crypto computes it")
    func indexerIsHMAC() {
        let key = SymmetricKey(size: .bits256)
        let keys = DataKeySet(sealing: ["dk-1": SymmetricKey(size: .bits256)], usableFrom: ["dk-1": Date(timeIntervalSince1970: 0)], index: key)
        let cipher = PersonalDataCipher(keys: keys, clock: Self.clock.clock)
        for value in ["", "6311065203580001", String(repeating: "x", count: 200)] {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: Array(Self.nik.name.utf8) + [0] + Array(value.utf8), using: key))
            #expect(cipher.blindIndex(value, Self.nik) == expected)
            let short = cipher.blindIndexer(Self.nik).index128(Array(value.utf8)[...])
            #expect(withUnsafeBytes(of: short.uuid) { Array($0) } == Array(expected.prefix(16)))
        }
        // A key longer than SHA-256's block is hashed first, as RFC 2104 says.
        let long = SymmetricKey(data: [UInt8](repeating: 7, count: 100))
        let longKeys = DataKeySet(sealing: keys.sealing, usableFrom: keys.usableFrom, index: long)
        #expect(PersonalDataCipher(keys: longKeys, clock: Self.clock.clock).blindIndex("a", Self.nik)
            == Array(HMAC<SHA256>.authenticationCode(for: Array(Self.nik.name.utf8) + [0, 0x61], using: long)))
    }

    @Test("data keys are made once, kept wrapped, and rewrapped when the master key rotates")
    func masterKeyRotation() async throws {
        let database = try await Self.prepare()
        let before = PersonalDataCipher(keys: try await DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m1"))).prepare(now: Self.clock.now), clock: Self.clock.clock)
        let sealed = before.seal("Siti Aminah", Self.name)
        let index = before.blindIndex("6311065203580001", Self.nik)
        let wrapped = try await database.pool.query("SELECT wrapped FROM data_keys ORDER BY id").map { try $0.decode([UInt8].self, "wrapped") }
        #expect(wrapped.count == 2 && wrapped.allSatisfy { $0.count == 60 }, "two 256-bit keys, each in an AES-GCM box")

        // A second instance (or a restart) finds the same keys.
        let again = PersonalDataCipher(keys: try await DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m1"))).prepare(now: Self.clock.now), clock: Self.clock.clock)
        #expect(try again.openString(sealed, Self.name) == "Siti Aminah")

        // m2 is added: the start rewraps under it; afterwards m1 may go.
        _ = try await DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m1", "m2"))).prepare(now: Self.clock.now)
        let wrappedBy = try await database.pool.query("SELECT DISTINCT wrapped_by FROM data_keys").map { try $0.decode(String.self, "wrapped_by") }
        #expect(wrappedBy == ["m2"])
        let after = PersonalDataCipher(keys: try await DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m2"))).prepare(now: Self.clock.now), clock: Self.clock.clock)
        #expect(try after.openString(sealed, Self.name) == "Siti Aminah")
        #expect(after.blindIndex("6311065203580001", Self.nik) == index, "the blind index survives the rotation")

        // The retired master key opens nothing any more.
        await #expect(throws: PersonalDataError.unknownKey("master key m2")) {
            try await DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m1"))).prepare(now: Self.clock.now)
        }
        try await database.drop()
    }

    @Test("a new data key seals only once it is active; values sealed before keep opening")
    func dataKeyRotation() async throws {
        let database = try await Self.prepare()
        let store = DataKeyStore(pool: database.pool, masterKeys: try MasterKeys(keys: Self.masterKeys("m1")))
        let clock = TestClock()
        let cipher = PersonalDataCipher(keys: try await store.prepare(now: clock.now), clock: clock.clock)
        let old = cipher.seal("Siti Aminah", Self.name)

        let announced = try await store.rotate(activationDelay: .seconds(300), now: clock.now)
        cipher.update(try await store.load())
        #expect(announced == "dk-2" && cipher.currentKeyID == "dk-1", "announced, not used yet")

        clock.advance(299)
        #expect(cipher.currentKeyID == "dk-1", "a second before its activation")
        clock.advance(1)
        #expect(cipher.currentKeyID == "dk-2", "from its activation on")
        let new = cipher.seal("Siti Aminah", Self.name)
        #expect(PersonalDataCipher.keyID(of: new) == "dk-2" && PersonalDataCipher.keyID(of: old) == "dk-1")
        #expect(try cipher.openString(old, Self.name) == "Siti Aminah" && cipher.openString(new, Self.name) == "Siti Aminah")
        try await database.drop()
    }

    @Test("master keys load from a directory; a missing or malformed one is refused")
    func masterKeyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layar-master-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: PersonalDataError.noMasterKeys(directory.path)) { try MasterKeys(directory: directory.path) }
        try Data(repeating: 7, count: 32).base64EncodedString().write(to: directory.appendingPathComponent("k2026-01.key"), atomically: true, encoding: .utf8)
        try Data(repeating: 8, count: 32).base64EncodedString().write(to: directory.appendingPathComponent("k2026-07.key"), atomically: true, encoding: .utf8)
        #expect(try MasterKeys(directory: directory.path).currentKeyID == "k2026-07")
        try "short".write(to: directory.appendingPathComponent("k2027-01.key"), atomically: true, encoding: .utf8)
        #expect(throws: PersonalDataError.badMasterKey("k2027-01")) { try MasterKeys(directory: directory.path) }
        #expect(throws: PersonalDataError.noMasterKeys("")) { try MasterKeys(directory: "") }
    }
}
