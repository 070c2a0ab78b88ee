import Foundation

/// Reads settings from environment variables and collects every problem before failing, so an
/// operator sees all missing or invalid variables at once, each with what it is for.
public struct EnvironmentReader {
    /// Problems found so far; callers may add their own checks.
    public var problems: [String] = []
    private let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// A variable that must be set and non-empty.
    public mutating func required(_ name: String, _ purpose: String) -> String {
        guard let value = values[name], !value.isEmpty else {
            problems.append("\(name) is not set: \(purpose)")
            return ""
        }
        return value
    }

    public func optional(_ name: String, default fallback: String) -> String {
        guard let value = values[name], !value.isEmpty else { return fallback }
        return value
    }

    /// An integer within `range`, or `fallback` when unset.
    public mutating func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = values[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            problems.append("\(name)=\(text) is invalid: expected a whole number in \(range.lowerBound)...\(range.upperBound)")
            return fallback
        }
        return value
    }

    /// One of `choices`, or `fallback` when unset.
    public mutating func choice(_ name: String, default fallback: String, among choices: [String]) -> String {
        guard let text = values[name], !text.isEmpty else { return fallback }
        guard choices.contains(text) else {
            problems.append("\(name)=\(text) is invalid: expected one of \(choices.joined(separator: ", "))")
            return fallback
        }
        return text
    }

    /// Throws a ``ConfigurationError`` listing every problem found so far.
    public func validate() throws {
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
    }
}

/// Missing or invalid configuration, one line per variable.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
