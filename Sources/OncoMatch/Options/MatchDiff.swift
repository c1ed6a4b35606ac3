import Foundation

/// What changed between two match reports, e.g. after a new document added facts.
public struct MatchDiff: Codable, Sendable, Hashable {
    public struct StatusChange: Codable, Sendable, Hashable {
        public var optionID: String
        public var title: String
        public var from: OptionStatus
        public var to: OptionStatus
    }

    public struct VerdictChange: Codable, Sendable, Hashable {
        public var optionID: String
        public var criterion: String
        public var from: Verdict
        public var to: Verdict
        /// The new reason.
        public var reason: String
    }

    /// Options new in the second report.
    public var added: [String]
    /// Options no longer present.
    public var removed: [String]
    public var statusChanges: [StatusChange]
    public var verdictChanges: [VerdictChange]
    /// To-do actions no longer needed.
    public var toDoDone: [String]
    /// To-do actions newly needed.
    public var toDoNew: [String]

    public var isEmpty: Bool {
        added.isEmpty && removed.isEmpty && statusChanges.isEmpty && verdictChanges.isEmpty && toDoDone.isEmpty && toDoNew.isEmpty
    }

    /// Plain lines for a page or the terminal.
    public var lines: [String] {
        statusChanges.map { "\($0.title): \($0.from.label) → \($0.to.label)" }
            + verdictChanges.map { "\($0.optionID): “\($0.criterion)” \($0.from.rawValue) → \($0.to.rawValue) (\($0.reason))" }
            + added.map { "new option: \($0)" } + removed.map { "no longer listed: \($0)" }
            + toDoDone.map { "done: \($0)" } + toDoNew.map { "to do: \($0)" }
    }
}

extension MatchReport {
    /// What changed from `old` to `new`.
    public static func diff(_ old: MatchReport, _ new: MatchReport) -> MatchDiff {
        let before = Dictionary(old.options.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.options.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var statusChanges: [MatchDiff.StatusChange] = []
        var verdictChanges: [MatchDiff.VerdictChange] = []
        for option in new.options {
            guard let previous = before[option.id] else { continue }
            if previous.status != option.status {
                statusChanges.append(.init(optionID: option.id, title: option.title, from: previous.status, to: option.status))
            }
            var earlier: [String: Verdict] = [:]
            for verdict in previous.verdicts where earlier[verdict.text] == nil { earlier[verdict.text] = verdict.verdict }
            for verdict in option.verdicts {
                if let was = earlier[verdict.text], was != verdict.verdict {
                    verdictChanges.append(.init(optionID: option.id, criterion: verdict.text, from: was, to: verdict.verdict, reason: verdict.reason))
                }
            }
        }
        let oldToDo = Set(old.toDo.map(\.action)), newToDo = Set(new.toDo.map(\.action))
        return MatchDiff(
            added: new.options.map(\.id).filter { before[$0] == nil },
            removed: old.options.map(\.id).filter { after[$0] == nil },
            statusChanges: statusChanges, verdictChanges: verdictChanges,
            toDoDone: old.toDo.map(\.action).filter { !newToDo.contains($0) },
            toDoNew: new.toDo.map(\.action).filter { !oldToDo.contains($0) })
    }
}
