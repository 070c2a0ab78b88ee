import Crypto
import Foundation
import LayarSchema

/// A validated upload ready to store: its sniffed media type and SHA-256 computed once.
struct StoredDocument: Sendable {
    let id: UUID
    let upload: Layar_V1_DocumentUpload
    let mediaType: String
    let sha256: String

    /// `upload` must have passed ``DocumentRules``.
    init(_ upload: Layar_V1_DocumentUpload) {
        self.id = UUID()
        self.upload = upload
        self.mediaType = DocumentSniffer.mediaType(of: Array(upload.content)) ?? "application/octet-stream"
        self.sha256 = SHA256.hash(data: upload.content).map { String(format: "%02x", $0) }.joined()
    }

    var info: Layar_V1_DocumentInfo {
        .with {
            $0.documentID = id.uuidString.lowercased()
            $0.kind = upload.kind
            $0.mediaType = mediaType
            $0.sizeBytes = Int64(upload.content.count)
            $0.sha256 = sha256
        }
    }
}
