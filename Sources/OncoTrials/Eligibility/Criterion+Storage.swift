import Foundation

extension EligibilityParser {
    /// Bumped whenever a change to the parser (segmentation, rules, the tagger under them)
    /// can change its output. Stored parses carry it; a server finding parses of another
    /// version re-reads them in the background.
    public static let version = 1
}

/// A study's parsed criteria as stored with it: JSON of every field but `range`, which
/// belongs to one in-memory string and is rebuilt from the character offsets on reading.
public enum StoredCriteria {
    struct Row: Codable {
        var kind: Criterion.Kind
        var text: String
        var start: Int
        var end: Int
        var depth: Int
        var parent: Int?
        var heading: String?
        var constraints: [CriterionConstraint]
        var negated: Bool
    }

    public static func encode(_ criteria: [Criterion]) throws -> Data {
        let rows = criteria.map {
            Row(kind: $0.kind, text: $0.text, start: $0.characterOffsets.lowerBound, end: $0.characterOffsets.upperBound,
                depth: $0.depth, parent: $0.parent, heading: $0.heading, constraints: $0.constraints, negated: $0.negated)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(rows)
    }

    /// Reads stored criteria back against the criteria text they were parsed from.
    public static func decode(_ data: Data, text: String) throws -> [Criterion] {
        let rows = try JSONDecoder().decode([Row].self, from: data)
        // Character offsets → indices in one pass over the text.
        var indices = Array(text.indices)
        indices.append(text.endIndex)
        return try rows.map { row in
            guard row.start >= 0, row.start <= row.end, row.end < indices.count else { throw Mismatch() }
            return Criterion(kind: row.kind, text: row.text, range: indices[row.start]..<indices[row.end],
                             characterOffsets: row.start..<row.end, depth: row.depth, parent: row.parent,
                             heading: row.heading, constraints: row.constraints, negated: row.negated)
        }
    }

    /// The stored criteria do not fit the text they are read against.
    public struct Mismatch: Error {}
}
