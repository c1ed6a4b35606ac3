/// A problem found in the knowledge files.
public struct KnowledgeIssue: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable, Hashable, Comparable {
        case warning, error
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }
    public var severity: Severity
    /// File relative to the knowledge directory, when known.
    public var file: String?
    public var kind: ItemKind?
    public var itemID: String?
    public var message: String

    public init(severity: Severity, file: String?, kind: ItemKind? = nil, itemID: String?, message: String) {
        self.severity = severity
        self.file = file
        self.kind = kind
        self.itemID = itemID
        self.message = message
    }

    /// `error: products/kymriah.yaml: product kymriah: no sources`
    public var description: String {
        var parts = ["\(severity.rawValue):"]
        if let file { parts.append("\(file):") }
        if let itemID { parts.append("\(kind?.rawValue ?? "item") \(itemID):") }
        parts.append(message)
        return parts.joined(separator: " ")
    }
}
