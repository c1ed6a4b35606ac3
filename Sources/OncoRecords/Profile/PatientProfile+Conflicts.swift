import Foundation

/// Two or more active facts about the same thing that disagree, e.g. a pathology report
/// saying "CD19 positive" and a later flow report "CD19 negative". A person resolves it by
/// rejecting or editing facts; matching treats the field as unknown until then.
public struct FactConflict: Codable, Sendable, Hashable {
    public var field: ProfileField
    /// Which thing the facts describe (the values' `conflictKey`).
    public var key: String
    public var facts: [FactSummary]

    /// "Biomarker: sources disagree — CD19: positive (doc-1 …) vs CD19: negative (doc-2 …)".
    public var message: String {
        let claims = facts.map { "\($0.assertionText) [\($0.provenance.citation)]" }
        return "\(field.displayName): sources disagree — " + claims.joined(separator: " vs ")
    }
}

extension PatientProfile {
    /// All disagreements between active (not rejected) facts. Facts agree when their
    /// comparison values and negation are equal; uncertainty does not make a conflict
    /// by itself, but an uncertain "possible CNS involvement" against a certain "no CNS
    /// involvement" does, because a person has to look.
    public var conflicts: [FactConflict] {
        let summaries = facts.map(\.summary).filter { $0.isActive && $0.conflictKey != nil }
        var groups: [String: [FactSummary]] = [:]
        var order: [String] = []
        for summary in summaries {
            let groupKey = summary.field.rawValue + "|" + summary.conflictKey!
            if groups[groupKey] == nil { order.append(groupKey) }
            groups[groupKey, default: []].append(summary)
        }
        return order.compactMap { groupKey in
            let group = groups[groupKey]!
            let claims = Set(group.map { ($0.isNegated ? "not " : "") + $0.comparisonValue })
            guard claims.count > 1, let first = group.first else { return nil }
            return FactConflict(field: first.field, key: first.conflictKey!, facts: group)
        }
    }

    /// Whether the facts about `field` contain a conflict (matching should say "unknown").
    public func hasConflict(in field: ProfileField) -> Bool {
        conflicts.contains { $0.field == field }
    }
}
