import Crypto
import Foundation
import LayarDomain
import LayarSchema

/// A validated upload ready to store: its sniffed media type and SHA-256 computed once.
struct StoredDocument: Sendable {
    let id: DocumentID
    let upload: Layar_V1_DocumentUpload
    let mediaType: String
    let sha256: String

    /// `upload` must have passed ``DocumentRules``.
    init(_ upload: Layar_V1_DocumentUpload, id: DocumentID = DocumentID()) {
        self.id = id
        self.upload = upload
        self.mediaType = DocumentSniffer.mediaType(of: Array(upload.content)) ?? "application/octet-stream"
        self.sha256 = SHA256.hash(data: upload.content).map { String(format: "%02x", $0) }.joined()
    }

    var info: Layar_V1_DocumentInfo {
        .with {
            $0.documentID = id.description
            $0.kind = upload.kind
            $0.mediaType = mediaType
            $0.sizeBytes = Int64(upload.content.count)
            $0.sha256 = sha256
        }
    }

    /// A stable id for the `index`th document of a linked submission, whose documents stay in its
    /// sealed form: the same on every view, unrelated to any stored document's.
    static func derivedID(submission: ReferralID, index: Int) -> DocumentID {
        var bytes = Array(SHA256.hash(data: Array("\(submission.uuid.uuidString)/\(index)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4 layout, like every other id
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return DocumentID(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
    }
}
