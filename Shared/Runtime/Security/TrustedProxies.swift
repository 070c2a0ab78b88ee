import Foundation

/// Which peers may say who the client is. Behind an ingress every connection comes from the
/// proxy: the client's address is then the last address in `X-Forwarded-For` (or `Forwarded:
/// for=`) that is not itself a trusted proxy. From any other peer those headers are ignored, so a
/// client cannot choose the address it is counted under (the portal's
/// `LAYAR_PORTAL_TRUSTED_PROXIES`, intake's `LAYAR_TRUSTED_CALLERS`: CIDRs).
public struct TrustedProxies: Sendable {
    public struct Network: Sendable, Equatable {
        var address: [UInt8]
        var prefixLength: Int

        /// `10.0.0.0/8`, `fd00::/8`, or one address.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard let address = TrustedProxies.bytes(parts[0]) else { return nil }
            let bits = address.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : bits
            guard let length, (0...bits).contains(length) else { return nil }
            self.address = address
            self.prefixLength = length
        }

        public func contains(_ candidate: [UInt8]) -> Bool {
            guard candidate.count == address.count else { return false }
            var remaining = prefixLength
            for (a, b) in zip(address, candidate) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if a & mask != b & mask { return false }
                remaining -= 8
            }
            return true
        }
    }

    public var networks: [Network]

    /// Comma-separated CIDRs; nil when one does not parse.
    public init?(list: String) {
        var networks: [Network] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let network = Network(item) else { return nil }
            networks.append(network)
        }
        self.networks = networks
    }

    public func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address for a request from `peer` with `forwardedFor` (X-Forwarded-For's
    /// addresses, or Forwarded's `for=` values, in order).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, isTrusted(peer) else { return peer }
        for hop in forwardedFor.reversed() {
            guard Self.bytes(hop) != nil else { return peer }  // a malformed hop: trust stops here
            if !isTrusted(hop) { return hop }
        }
        return forwardedFor.first ?? peer
    }

    /// The addresses a request names as its path: `X-Forwarded-For: a, b` or `Forwarded: for=a, for="[b]"`.
    public static func forwardedAddresses(xForwardedFor: String?, forwarded: String?) -> [String] {
        if let forwarded, !forwarded.isEmpty {
            return forwarded.split(separator: ",").compactMap { element in
                element.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.lowercased().hasPrefix("for=") }
                    .map { value in
                        var node = String(value.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        if node.hasPrefix("["), let end = node.firstIndex(of: "]") { node = String(node[node.index(after: node.startIndex)..<end]) }
                        else if node.filter({ $0 == ":" }).count == 1, let colon = node.firstIndex(of: ":") { node = String(node[..<colon]) }
                        return node
                    }
            }
        }
        return (xForwardedFor ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An IPv4 or IPv6 address as bytes (an IPv4-mapped IPv6 address as IPv4).
    public static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
