import OncoKnowledge

/// The CAR-T treatment journey as an accessible SVG: a titled, described image whose
/// content is also given as an ordered list for screen readers and text-only browsers.
enum JourneyDiagram {
    struct Step: Encodable, Sendable {
        let number: Int
        let name: String
        let duration: String
        let summary: String
    }

    struct Page: Encodable, Sendable {
        let steps: [Step]
        let svg: String
        let provenance: KnowledgeView.Provenance
    }

    static func page(kb: KnowledgeBase) -> Page {
        let journey = kb.journey
        let steps = journey.enumerated().map { Step(number: $0.offset + 1, name: $0.element.name, duration: $0.element.typicalDuration, summary: $0.element.summary) }
        return Page(steps: steps, svg: svg(steps), provenance: KnowledgeView.provenance(journey, kb: kb))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Splits `text` into lines of at most `width` characters at spaces; the last of
    /// `maxLines` ends with an ellipsis when text was left out (the full text is in the
    /// list or table beside the picture).
    static func wrap(_ text: String, width: Int, maxLines: Int = 2) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) }
            else if current.count + 1 + word.count <= width { current += " " + word }
            else { lines.append(current); current = String(word) }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines { lines = Array(lines.prefix(maxLines - 1)) + [String(lines[maxLines - 1].prefix(width - 1)) + "…"] }
        return lines
    }

    /// A vertical flow (it reads well at phone width): one box per step with its duration.
    static func svg(_ steps: [Step]) -> String {
        let boxHeight = 84, gap = 28, width = 380
        let height = steps.count * (boxHeight + gap) + 10
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"journey-title journey-desc\" class=\"journey-svg\">",
                     "<title id=\"journey-title\">The CAR-T treatment journey, step by step</title>",
                     "<desc id=\"journey-desc\">" + escape(steps.map { "\($0.number). \($0.name): \($0.duration)." }.joined(separator: " ")) + "</desc>",
                     "<defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"10\" refX=\"5\" refY=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#4a5565\"/></marker></defs>"]
        for (index, step) in steps.enumerated() {
            let y = 5 + index * (boxHeight + gap)
            parts.append("<rect x=\"5\" y=\"\(y)\" width=\"\(width - 10)\" height=\"\(boxHeight)\" rx=\"10\" fill=\"#e8f1f8\" stroke=\"#0b5c8a\" stroke-width=\"2\"/>")
            parts.append("<text x=\"18\" y=\"\(y + 26)\" font-size=\"15\" font-weight=\"700\" fill=\"#1b2430\">\(step.number). \(escape(step.name))</text>")
            for (line, text) in wrap(step.duration, width: 46).prefix(2).enumerated() {
                parts.append("<text x=\"18\" y=\"\(y + 50 + line * 20)\" font-size=\"14\" fill=\"#1b2430\">\(escape(text))</text>")
            }
            if index < steps.count - 1 {
                parts.append("<line x1=\"\(width / 2)\" y1=\"\(y + boxHeight)\" x2=\"\(width / 2)\" y2=\"\(y + boxHeight + gap - 6)\" stroke=\"#4a5565\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
