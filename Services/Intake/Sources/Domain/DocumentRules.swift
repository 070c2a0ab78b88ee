import LayarDomain
import LayarSchema

/// Limits and checks for uploaded documents, shared by submission and AddDocuments.
public enum DocumentRules {
    public static let maximumCount = 8
    public static let maximumSize = 2 * 1024 * 1024
    public static let maximumTotalSize = 10 * 1024 * 1024

    /// Field problems for `documents`, reported under `path` (e.g. `form.documents`).
    public static func problems(in documents: [Layar_V1_DocumentUpload], path: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if documents.count > maximumCount {
            problems.append(FieldProblem(path, "Paling banyak \(maximumCount) dokumen"))
        }
        if documents.reduce(0, { $0 + $1.content.count }) > maximumTotalSize {
            problems.append(FieldProblem(path, "Ukuran semua dokumen paling besar 10 MB"))
        }
        for (index, document) in documents.enumerated() {
            let field = "\(path)[\(index)]"
            if document.kind == .unspecified {
                problems.append(FieldProblem("\(field).kind", "Jenis dokumen wajib dipilih"))
            }
            if document.content.isEmpty {
                problems.append(FieldProblem("\(field).content", "Berkas kosong"))
                continue
            }
            if document.content.count > maximumSize {
                problems.append(FieldProblem("\(field).content", "Ukuran berkas paling besar 2 MB"))
                continue
            }
            guard let mediaType = DocumentSniffer.mediaType(of: Array(document.content)) else {
                problems.append(FieldProblem("\(field).content", "Berkas harus berupa foto (JPG, PNG, WebP) atau PDF"))
                continue
            }
            if document.kind == .photo && !DocumentSniffer.isImage(mediaType) {
                problems.append(FieldProblem("\(field).content", "Foto harus berupa gambar (JPG, PNG, WebP)"))
            }
            if document.fileName.count > 200 {
                problems.append(FieldProblem("\(field).file_name", "Nama berkas terlalu panjang"))
            }
        }
        return problems
    }
}
