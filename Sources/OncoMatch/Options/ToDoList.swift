import Foundation

/// One concrete action that would settle unknown criteria, with the options it concerns.
public struct ToDoItem: Codable, Sendable, Hashable, Identifiable {
    /// The grouping key (`biomarker:CD19`, `lvef`, `prior-lines` …).
    public var id: String
    /// "Ask the pathologist whether the biopsy was tested for CD19".
    public var action: String
    /// Ids of the options (`MatchOption.id`) with an unknown this would settle.
    public var optionIDs: [String]
    /// The criteria it concerns, as written (first few).
    public var criteria: [String]

    /// How many options it would settle.
    public var optionCount: Int { optionIDs.count }
}

/// Groups the unknowns of options into actions, ordered by how many options each settles.
public enum ToDoList {
    public static func build(from options: [MatchOption], maxCriteriaShown: Int = 3) -> [ToDoItem] {
        var order: [String] = []
        var items: [String: ToDoItem] = [:]
        for option in options {
            // An exclusion the records do not mention matters only once nothing else is open.
            let onlyConfirmationsLeft = !option.verdicts.contains { $0.verdict == .unknown }
            for verdict in option.verdicts where verdict.verdict == .unknown || (verdict.verdict == .notMentioned && onlyConfirmationsLeft) {
                for need in verdict.needs {
                    if items[need.key] == nil {
                        order.append(need.key)
                        items[need.key] = ToDoItem(id: need.key, action: need.action, optionIDs: [], criteria: [])
                    }
                    if !items[need.key]!.optionIDs.contains(option.id) { items[need.key]!.optionIDs.append(option.id) }
                    if items[need.key]!.criteria.count < maxCriteriaShown, !items[need.key]!.criteria.contains(verdict.text) {
                        items[need.key]!.criteria.append(verdict.text)
                    }
                }
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.compactMap { items[$0] }.sorted { lhs, rhs in
            (-lhs.optionCount, position[lhs.id]!) < (-rhs.optionCount, position[rhs.id]!)
        }
    }
}
