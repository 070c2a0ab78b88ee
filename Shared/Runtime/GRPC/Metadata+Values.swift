import GRPCCore

extension Metadata {
    /// The first string value of `key`, if any.
    public func firstString(_ key: String) -> String? {
        var values = self[stringValues: key].makeIterator()
        return values.next()
    }

    /// The token of an `authorization: Bearer <token>` entry (a staff token or a partner key).
    public var bearerToken: String? {
        guard let header = firstString("authorization"), header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }
}
