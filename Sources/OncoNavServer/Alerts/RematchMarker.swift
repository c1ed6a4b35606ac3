import Crypto
import Fluent
import Foundation
import OncoKnowledge

/// Small named values that outlive a process, for the re-match of open cases:
/// - `registryChanged`: the trial registry changed and open cases are not re-matched yet
///   (written by `onconav trials import`, which runs without the server's trial index, and
///   by the server before each run, so a crash mid-run is caught up at the next start);
/// - `knowledgeApprovals`: the fingerprint of the knowledge base's approvals the open
///   cases were last matched against (a new approval re-matches them at start).
public final class RematchMarker: Model, @unchecked Sendable {
    public static let schema = "rematch_markers"

    public static let registryChanged = "registry-changed"
    public static let knowledgeApprovals = "knowledge-approvals"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(name: String, value: String, updatedAt: Date) {
        self.name = name
        self.value = value
        self.updatedAt = updatedAt
    }

    static func value(_ name: String, on db: any Database) async throws -> String? {
        try await RematchMarker.query(on: db).filter(\.$name == name).first()?.value
    }

    static func set(_ name: String, to value: String, at now: Date, on db: any Database) async throws {
        if let marker = try await RematchMarker.query(on: db).filter(\.$name == name).first() {
            marker.value = value
            marker.updatedAt = now
            try await marker.save(on: db)
        } else {
            try await RematchMarker(name: name, value: value, updatedAt: now).create(on: db)
        }
    }

    static func clear(_ name: String, on db: any Database) async throws {
        try await RematchMarker.query(on: db).filter(\.$name == name).delete()
    }

    /// Records that the registry changed (the sources, e.g. "import"), keeping earlier
    /// sources not yet caught up.
    static func noteRegistryChange(source: String, at now: Date, on db: any Database) async throws {
        let earlier = try await value(registryChanged, on: db).map { $0.split(separator: ",").map(String.init) } ?? []
        let sources = (earlier + [source]).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        try await set(registryChanged, to: sources.prefix(10).joined(separator: ","), at: now, on: db)
    }

    /// A hash of every product's label indications (approvals, their status and criteria):
    /// it changes when an approval is added, withdrawn or its rules change, not when an
    /// article is reworded.
    static func approvalsFingerprint(_ knowledge: KnowledgeBase) -> String {
        struct Approvals: Encodable { let product: String; let indications: [LabelIndication] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let approvals = knowledge.products.sorted { $0.id < $1.id }.map { Approvals(product: $0.id, indications: $0.indications) }
        let data = (try? encoder.encode(approvals)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
