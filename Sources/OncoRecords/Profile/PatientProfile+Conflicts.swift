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
        // A person can have several secondary cancers (metastatic sites): never a conflict.
        let summaries = facts.map(\.summary).filter { $0.isActive && $0.conflictKey != nil && $0.field != .secondaryCancer }
        var groups: [String: [FactSummary]] = [:]
        var order: [String] = []
        for summary in summaries {
            let groupKey = summary.field.rawValue + "|" + summary.conflictKey!
            if groups[groupKey] == nil { order.append(groupKey) }
            groups[groupKey, default: []].append(summary)
        }
        return order.compactMap { groupKey in
            let group = groups[groupKey]!
            let claims = Array(Set(group.map { ($0.isNegated ? "not " : "") + $0.comparisonValue }))
            let disagree = claims.indices.contains { i in
                claims.indices.contains { j in i < j && !Self.compatible(claims[i], claims[j], field: group[0].field) }
            }
            guard disagree, let first = group.first else { return nil }
            return FactConflict(field: first.field, key: first.conflictKey!, facts: group)
        }
    }

    /// A less precise value agrees with a more precise one: stage "III" with "IIIA",
    /// birth date "1966-08" with "1966-08-03". "I" and "IV" do not.
    static func compatible(_ a: String, _ b: String, field: ProfileField) -> Bool {
        if a == b { return true }
        switch field {
        case .stage:
            func split(_ value: String) -> (String, String) {
                let numeral = value.prefix { "IV0".contains($0) }
                return (String(numeral), String(value.dropFirst(numeral.count)))
            }
            let (numeralA, restA) = split(a), (numeralB, restB) = split(b)
            return !numeralA.isEmpty && numeralA == numeralB && (restA.isEmpty || restB.isEmpty)
        case .birthDate:
            return a.hasPrefix(b) || b.hasPrefix(a)
        default:
            return false
        }
    }

    /// Whether the facts about `field` contain a conflict (matching should say "unknown").
    public func hasConflict(in field: ProfileField) -> Bool {
        conflicts.contains { $0.field == field }
    }
}
