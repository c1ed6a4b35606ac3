/// The answer as plain text for a terminal: direct answer, sections, numbered citations.
extension Answer {
    public var plainText: String {
        var numbers: [String: Int] = [:]
        for (index, citation) in citations.enumerated() { numbers[citation.id] = index + 1 }
        func line(_ statement: Statement) -> String {
            let marks = statement.citations.compactMap { numbers[$0] }.map { "[\($0)]" }.joined()
            return marks.isEmpty ? statement.text : statement.text + " " + marks
        }
        var out: [String] = [directAnswer.map(line).joined(separator: " "), ""]
        for section in sections {
            out.append(section.title.uppercased())
            out += section.paragraphs.map(line)
            out += section.bullets.map { "  • " + line($0) }
            out.append("")
        }
        if !citations.isEmpty {
            out.append("SOURCES")
            for (index, citation) in citations.enumerated() {
                let accessed = citation.accessed.map { ", accessed \($0)" } ?? ""
                out.append("  [\(index + 1)] \(citation.title). \(citation.publisher). \(citation.url)\(accessed)")
            }
            out.append("")
        }
        if !relatedQuestions.isEmpty {
            out.append("YOU MIGHT ALSO ASK")
            out += relatedQuestions.map { "  - " + $0 }
            out.append("")
        }
        if inviteToUpload {
            out.append("Upload your records to OncoNav to see which approved labels and trials may fit your own case.")
            out.append("")
        }
        out.append(disclaimer)
        return out.joined(separator: "\n")
    }
}
