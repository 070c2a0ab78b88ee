import Crypto
import Foundation
import LayarDomain
import Synchronization

/// Seals personal fields at rest with AES-256-GCM under the service's data keys, and computes the
/// keyed blind index (HMAC-SHA256) that lets a service look a NIK up without storing it.
///
/// A sealed value is `0x01 | key id length | key id | nonce (12) | ciphertext | tag (16)`, with the
/// field's name as associated data: each value names the key that opens it, so old and new keys
/// work side by side while keys rotate.
public final class PersonalDataCipher: Sendable {
    private let keys: Mutex<DataKeySet>
    /// Decides which sealing key is in use (a rotated key seals from its activation instant on).
    private let clock: LayarClock

    public init(keys: DataKeySet, clock: LayarClock) {
        self.keys = Mutex(keys)
        self.clock = clock
    }

    /// Replaces the key set (the periodic refresh that learns of a data key made by another
    /// instance before that key is used; see ``DataKeyStore/rotate(on:activationDelay:)``).
    public func update(_ keySet: DataKeySet) {
        keys.withLock { $0 = keySet }
    }

    public var currentKeyID: String {
        keys.withLock { $0.sealingKey(at: clock.now).id }
    }

    public func seal(_ plaintext: some DataProtocol, _ field: SealedField) -> [UInt8] {
        let now = clock.now
        let (id, key) = keys.withLock { $0.sealingKey(at: now) }
        // AES-GCM with a fresh random nonce per value cannot fail with a 256-bit key.
        let box = try! AES.GCM.seal(plaintext, using: key, authenticating: Array(field.name.utf8))
        var sealed: [UInt8] = [Self.formatVersion, UInt8(id.utf8.count)]
        sealed.reserveCapacity(2 + id.utf8.count + 28 + plaintext.count)
        sealed += id.utf8
        sealed += box.nonce
        sealed += box.ciphertext
        sealed += box.tag
        return sealed
    }

    public func seal(_ text: String, _ field: SealedField) -> [UInt8] {
        seal(Array(text.utf8), field)
    }

    public func open(_ sealed: [UInt8], _ field: SealedField) throws -> [UInt8] {
        guard sealed.count >= 2, sealed[0] == Self.formatVersion else { throw PersonalDataError.cannotOpen(field: field.name) }
        let idEnd = 2 + Int(sealed[1])
        guard sealed.count >= idEnd + 28 else { throw PersonalDataError.cannotOpen(field: field.name) }
        let id = String(decoding: sealed[2..<idEnd], as: UTF8.self)
        guard let key = keys.withLock({ $0.sealing[id] }) else { throw PersonalDataError.unknownKey(id) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed[idEnd...])
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(field.name.utf8)))
        } catch {
            throw PersonalDataError.cannotOpen(field: field.name)
        }
    }

    public func openString(_ sealed: [UInt8], _ field: SealedField) throws -> String {
        String(decoding: try open(sealed, field), as: UTF8.self)
    }

    /// The key id a sealed value names (for rotation reports), nil when it is not sealed.
    public static func keyID(of sealed: [UInt8]) -> String? {
        guard sealed.count >= 2, sealed[0] == formatVersion, sealed.count >= 2 + Int(sealed[1]) else { return nil }
        return String(decoding: sealed[2..<(2 + Int(sealed[1]))], as: UTF8.self)
    }

    /// The blind index of `value` in `field`: equal values give equal indexes, and without the
    /// index key nothing about the value can be learnt from it (not even by trying every one of
    /// the few hundred million NIKs, which a plain hash would allow).
    public func blindIndex(_ value: String, _ field: SealedField) -> [UInt8] {
        blindIndexer(field).index(Array(value.utf8))
    }

    /// The blind index of one field, prepared once for many values (a registry import).
    public func blindIndexer(_ field: SealedField) -> BlindIndexer {
        BlindIndexer(key: keys.withLock { $0.index }, field: field)
    }

    static let formatVersion: UInt8 = 1
}

/// HMAC-SHA256 (RFC 2104) keyed with the index key, its inner hash already past the field's
/// name: each value costs only its own bytes. Written out over `SHA256` because swift-crypto's
/// `HMAC` takes data through a generic that is resolved at run time, which a registry import of a
/// million rows paid for on every call; a test holds it equal to `HMAC<SHA256>`.
public struct BlindIndexer: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    init(key: SymmetricKey, field: SealedField) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        key.withUnsafeBytes { bytes in
            if bytes.count > block.count {
                block.replaceSubrange(0..<SHA256.byteCount, with: Array(SHA256.hash(data: bytes)))
            } else {
                block.replaceSubrange(0..<bytes.count, with: bytes)
            }
        }
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        inner.update(data: Array(field.name.utf8) + [0])
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    public func index(_ value: some DataProtocol) -> [UInt8] {
        var inner = self.inner
        inner.update(data: value)
        return Array(finish(inner))
    }

    /// The first 128 bits (HMAC-SHA256-128), stored as a `uuid` where an index must be compact:
    /// the registry's hundred million rows. Collisions stay out of reach (about 2^64 values).
    public func index128(_ value: ArraySlice<UInt8>) -> UUID {
        value.withUnsafeBytes { index128($0) }
    }

    /// ``index128(_:)-(ArraySlice<UInt8>)`` of bytes in place (a registry import's buffer).
    public func index128(_ value: UnsafeRawBufferPointer) -> UUID {
        var inner = self.inner
        inner.update(bufferPointer: value)
        return finish(inner).withUnsafeBytes { bytes in
            UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                        bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    private func finish(_ inner: SHA256) -> SHA256.Digest {
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}

/// The unwrapped data keys of a service: the sealing keys by id with the time each may start
/// sealing, and the blind-index key (one per service, kept for the life of the data: changing it
/// means recomputing every index).
public struct DataKeySet: Sendable {
    public var sealing: [String: SymmetricKey]
    /// When each sealing key may seal (a new key is announced before it is used).
    public var usableFrom: [String: Date]
    public var index: SymmetricKey

    public init(sealing: [String: SymmetricKey], usableFrom: [String: Date], index: SymmetricKey) {
        self.sealing = sealing
        self.usableFrom = usableFrom
        self.index = index
    }

    /// The newest key already usable at `time` (ties broken by id).
    /// One pass, no allocation: it runs for every value sealed. Before any key is usable (a clock
    /// behind the announcement), the earliest announced one.
    func sealingKey(at time: Date) -> (id: String, key: SymmetricKey) {
        var newest: (from: Date, id: String)?
        var earliest: (from: Date, id: String)?
        for (id, from) in usableFrom where sealing[id] != nil {
            if from <= time, newest.map({ $0 < (from, id) }) ?? true { newest = (from, id) }
            if earliest.map({ (from, id) < $0 }) ?? true { earliest = (from, id) }
        }
        let id = (newest ?? earliest)!.id
        return (id, sealing[id]!)
    }

    /// A key set made in memory (tests and tools that hold no database).
    public static func random() -> DataKeySet {
        DataKeySet(sealing: ["dk-1": SymmetricKey(size: .bits256)], usableFrom: ["dk-1": Date(timeIntervalSince1970: 0)], index: SymmetricKey(size: .bits256))
    }
}
