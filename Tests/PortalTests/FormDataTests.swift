import Testing
@testable import LayarPortal

@Suite("Portal forms")
struct FormDataTests {
    @Test("url-encoded fields, with + and percent escapes")
    func urlEncoded() throws {
        let form = try FormData.parse(Array("a=1&b=hello+world&b=x%26y&c=".utf8), contentType: "application/x-www-form-urlencoded")
        #expect(form["a"] == "1")
        #expect(form.all("b") == ["hello world", "x&y"])
        #expect(form.isChecked("c"))
        #expect(!form.isChecked("d"))
    }

    static func multipart(boundary: String, parts: [(headers: String, body: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--\(boundary)\r\n\(part.headers)\r\n\r\n".utf8) + part.body + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    @Test("multipart: fields, a file with CRLF and boundary-like bytes inside, an empty file input skipped")
    func multipart() throws {
        let file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 13, 10, 45, 45, 0x00, 0xFF]
        let body = Self.multipart(boundary: "----WebKitFormBoundaryAbc", parts: [
            ("Content-Disposition: form-data; name=\"person.nik\"", Array("6311065203580001".utf8)),
            ("Content-Disposition: form-data; name=\"description\"", Array("baris satu\r\nbaris dua".utf8)),
            ("Content-Disposition: form-data; name=\"documents.ktp\"; filename=\"ktp.png\"\r\nContent-Type: image/png", file),
            ("Content-Disposition: form-data; name=\"documents.kk\"; filename=\"\"\r\nContent-Type: application/octet-stream", []),
        ])
        let form = try FormData.parse(body, contentType: "multipart/form-data; boundary=\"----WebKitFormBoundaryAbc\"")
        #expect(form["person.nik"] == "6311065203580001")
        #expect(form.fields["description"] == ["baris satu\r\nbaris dua"])
        #expect(form.files["documents.ktp"] == [UploadedFile(fileName: "ktp.png", contentType: "image/png", bytes: file)])
        #expect(form.files["documents.kk"] == nil)
    }

    @Test("a malformed multipart body is refused, an unknown content type reads as empty")
    func malformed() throws {
        #expect(throws: FormDataError.self) {
            try FormData.parse(Array("no boundary here".utf8), contentType: "multipart/form-data; boundary=xyz")
        }
        #expect(throws: FormDataError.self) {
            try FormData.parse(Array("--xyz\r\nno header end".utf8), contentType: "multipart/form-data; boundary=xyz")
        }
        #expect(try FormData.parse(Array("{}".utf8), contentType: "application/json").fields.isEmpty)
    }
}
