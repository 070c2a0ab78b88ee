import Crypto
import Foundation

/// The key-encryption keys of one service, from a directory mounted from a secret (never from
/// the repository): `<key id>.key` files, each 32 random bytes in base64
/// (`openssl rand -base64 32`). They only wrap the service's data keys (see ``DataKeyStore``);
/// the key whose id sorts last wraps, every key present unwraps.
///
/// Rotation without downtime: add a newer file to every instance and roll them; each rewraps the
/// data keys under it when it starts; remove the old file once every data key shows the new id.
public struct MasterKeys: Sendable {
    public let currentKeyID: String
    let keys: [String: SymmetricKey]

    public init(keys: [String: SymmetricKey]) throws {
        guard let current = keys.keys.max() else { throw PersonalDataError.noMasterKeys("(given in code)") }
        for id in keys.keys where !Self.isValidKeyID(id) { throw PersonalDataError.badKeyID(id) }
        self.keys = keys
        self.currentKeyID = current
    }

    /// Reads every `*.key` file in `directory`; throws when there is none or one is not 32 bytes.
    public init(directory: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".key") } ?? []
        guard !names.isEmpty else { throw PersonalDataError.noMasterKeys(directory) }
        var keys: [String: SymmetricKey] = [:]
        for name in names {
            let text = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
            let id = String(name.dropLast(4))
            guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
            else { throw PersonalDataError.badMasterKey(id) }
            keys[id] = SymmetricKey(data: bytes)
        }
        try self.init(keys: keys)
    }

    var current: SymmetricKey { keys[currentKeyID]! }

    /// Key ids travel inside stored values: short, printable, no separators to confuse.
    static func isValidKeyID(_ id: String) -> Bool {
        (1...40).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}

public enum PersonalDataError: Error, CustomStringConvertible, Equatable {
    case noMasterKeys(String)
    case badMasterKey(String)
    case badKeyID(String)
    /// A stored value names a key this service does not hold (or its master key is missing).
    case unknownKey(String)
    /// A stored value that is not in the sealed format, or was altered, or belongs to another field.
    case cannotOpen(field: String)

    public var description: String {
        switch self {
        case .noMasterKeys(""): "LAYAR_DATA_KEYS_DIR is not set: the directory of the data master keys (<key id>.key, 32 random bytes in base64)"
        case .noMasterKeys(let directory): "no data master keys (*.key) in \(directory)"
        case .badMasterKey(let id): "master key \(id) is not 32 bytes of base64"
        case .badKeyID(let id): "key id \(id) must be 1-40 letters, digits, '-', '_' or '.'"
        case .unknownKey(let id): "no key \(id) to open a stored value with"
        case .cannotOpen(let field): "a stored value of \(field) does not open (altered, or sealed for another field)"
        }
    }
}
