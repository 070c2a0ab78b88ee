/// A fragment of HTML that is safe by construction: text interpolated into it is escaped, other
/// fragments are inserted as they are. Pages are built from these, so no user-supplied text can
/// become markup.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral literal: String) { markup = literal }
    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }
    private init(raw: String) { markup = raw }

    static let empty = HTML(raw: "")

    /// Markup the portal itself produced (SVG from the chart renderer); never user text.
    static func trusted(_ markup: String) -> HTML { HTML(raw: markup) }

    var description: String { markup }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) { markup += literal }
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ text: Substring) { markup += HTML.escape(String(text)) }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        mutating func appendInterpolation(_ number: Int32) { markup += String(number) }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        mutating func appendInterpolation(_ fragments: [HTML]) { for fragment in fragments { markup += fragment.markup } }
        mutating func appendInterpolation(_ html: HTML?) { markup += html?.markup ?? "" }
    }

    /// Escapes the five characters that matter in text and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

extension Array where Element == HTML {
    func joined() -> HTML { HTML("\(self)") }
}
