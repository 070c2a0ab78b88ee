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
}
