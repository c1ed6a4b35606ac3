/// The identifier of a `Source` (kebab-case, e.g. `fda-kymriah-label`).
public typealias SourceID = String

/// A published document a fact in the knowledge base rests on: a regulator's label or
/// approval page, a guideline for patients, a peer-reviewed review.
public struct Source: Codable, Sendable, Hashable, Identifiable {
    public var id: SourceID
    public var title: String
    public var publisher: String
    public var url: String
    /// When an editor last opened the document to check the facts that cite it.
    public var accessed: Day?
}

/// What every factual item carries: where the statement comes from and when a person
/// last checked it against those sources.
public protocol Sourced: Sendable {
    var id: String { get }
    var sources: [SourceID] { get }
    var reviewed: Day? { get }
}
