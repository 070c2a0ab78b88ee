import Foundation

/// Horizontal bar charts drawn as inline SVG on the server: no chart script to download, readable
/// on a small screen, and with a text table alongside for screen readers.
struct BarChart: Sendable {
    var title: String
    var bars: [(label: String, value: Double)]
    /// How a value is printed at the end of its bar.
    var format: @Sendable (Double) -> String = { String(Int($0.rounded())) }
    /// A target line (e.g. the 71 % complaint-resolution target), in the values' unit.
    var target: (value: Double, label: String)?

    // Drawn at 480 units: on a 360-pixel phone the 15-unit text stays readable.
    private static let width = 480.0
    private static let labelWidth = 170.0
    private static let rowHeight = 30.0

    func svg(id: String) -> HTML {
        let maximum = max(bars.map(\.value).max() ?? 0, target?.value ?? 0, 1)
        let plotWidth = Self.width - Self.labelWidth - 70
        let height = Double(max(bars.count, 1)) * Self.rowHeight + 30
        let rows = bars.enumerated().map { index, bar -> HTML in
            let y = 10 + Double(index) * Self.rowHeight
            let length = max(bar.value / maximum * plotWidth, bar.value > 0 ? 2 : 0)
            return """
            <text x="\(number(Self.labelWidth - 8))" y="\(number(y + 19))" text-anchor="end" class="chart-label">\(String(bar.label.prefix(22)))</text>
            <rect x="\(number(Self.labelWidth))" y="\(number(y + 3))" width="\(number(length))" height="\(number(Self.rowHeight - 8))" class="chart-bar"><title>\(bar.label): \(format(bar.value))</title></rect>
            <text x="\(number(Self.labelWidth + length + 6))" y="\(number(y + 19))" class="chart-value">\(format(bar.value))</text>
            """
        }
        let targetLine: HTML = target.map { target in
            let x = Self.labelWidth + target.value / maximum * plotWidth
            return """
            <line x1="\(number(x))" x2="\(number(x))" y1="4" y2="\(number(height - 18))" class="chart-target"/>
            <text x="\(number(x))" y="\(number(height - 4))" text-anchor="middle" class="chart-value">\(target.label)</text>
            """
        } ?? .empty
        let empty: HTML = bars.isEmpty ? "<text x=\"\(number(Self.labelWidth))\" y=\"24\" class=\"chart-label\">Belum ada data</text>" : .empty
        let tableRows = bars.map { "<tr><th scope=\"row\">\($0.label)</th><td>\(format($0.value))</td></tr>" as HTML }
        return """
        <figure class="chart" id="\(id)">
        <figcaption>\(title)</figcaption>
        <svg viewBox="0 0 \(number(Self.width)) \(number(height))" role="img" aria-labelledby="\(id)-title" xmlns="http://www.w3.org/2000/svg">
        <title id="\(id)-title">\(title)</title>\(rows)\(targetLine)\(empty)
        </svg>
        <details><summary>Tabel</summary><table><tbody>\(tableRows)</tbody></table></details>
        </figure>
        """
    }

    private func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
