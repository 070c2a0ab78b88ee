/// Decides a document's media type from its first bytes (magic numbers), never from its name or
/// the type a client declares: a renamed executable stays refused.
public enum DocumentSniffer {
    public static let jpeg = "image/jpeg"
    public static let png = "image/png"
    public static let webp = "image/webp"
    public static let pdf = "application/pdf"

    /// The media type, or nil when the bytes are none of the accepted formats.
    public static func mediaType(of bytes: [UInt8]) -> String? {
        func starts(with prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return jpeg }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png }
        if starts(with: Array("RIFF".utf8)) && starts(with: Array("WEBP".utf8), at: 8) { return webp }
        if starts(with: Array("%PDF-".utf8)) { return pdf }
        return nil
    }

    public static func isImage(_ mediaType: String) -> Bool { mediaType.hasPrefix("image/") }
}
