import OncoAnswers
import OncoKnowledge

/// "How they differ" as a picture: for CAR-T, other cell therapies and gene therapies, what
/// is taken from the patient, what is changed and what is given back. An accessible inline
/// SVG (title, description) with the same content as a table for screen readers and
/// text-only browsers. Each row links to its approach, whose sources the page cites; the
/// wording follows those approaches' summaries in the knowledge base.
enum TherapyDiagram {
    struct Row: Encodable, Sendable {
        let approachID: String
        let name: String
        /// The family in words ("cell therapy and gene therapy at once").
        let kind: String
        let taken: String
        let changed: String
        let givenBack: String
        /// Nothing is taken from the patient (drawn dashed).
        var nothingTaken: Bool { taken.hasPrefix("Nothing") }
    }

    static let rows = [
        Row(approachID: "car-t-autologous", name: "CAR-T (your own cells)", kind: "cell therapy and gene therapy at once",
            taken: "Your own T cells, collected from the blood (apheresis)",
            changed: "A new gene gives them a receptor (CAR) that locks onto the cancer",
            givenBack: "The changed cells, by drip, after a few days of chemotherapy"),
        Row(approachID: "til", name: "TIL (tumour-infiltrating lymphocytes)", kind: "cell therapy, no gene added",
            taken: "A piece of the tumour, removed by surgery",
            changed: "Its own immune cells are grown to billions; no gene is added",
            givenBack: "The grown cells, by drip after chemotherapy, then IL-2"),
        Row(approachID: "tcr-t", name: "TCR-T", kind: "cell therapy and gene therapy at once",
            taken: "Your own T cells, collected from the blood",
            changed: "A new T-cell receptor gene; each product suits certain HLA types only",
            givenBack: "The changed cells, by drip, after chemotherapy"),
        Row(approachID: "virus-specific-t-cells", name: "Donor T cells (virus-specific, allogeneic)", kind: "cell therapy from a healthy donor",
            taken: "Nothing from you: the cells come from a healthy donor",
            changed: "Chosen to attack a virus such as EBV; donor CAR-T cells are gene-edited",
            givenBack: "Ready-made cells, partly matched to your HLA type, by drip"),
        Row(approachID: "gene-delivery-tumour-suppressor", name: "Gene delivery in the body (vector)", kind: "gene therapy, no cells",
            taken: "Nothing: no cells are taken",
            changed: "A virus that cannot multiply carries a gene into cells",
            givenBack: "The carrier virus itself, for example into the bladder"),
        Row(approachID: "oncolytic-virus", name: "Oncolytic virus", kind: "gene therapy, no cells",
            taken: "Nothing: no cells are taken",
            changed: "A virus chosen or engineered to infect and burst cancer cells",
            givenBack: "Injected into the tumour; it can alert the immune system"),
    ]

    struct Diagram: Encodable, Sendable {
        let svg: String
        let rows: [Row]
    }

    /// The rows whose approach the knowledge base has (a row is never drawn without its sources).
    static func diagram(kb: KnowledgeBase) -> Diagram {
        let shown = rows.filter { kb.approach(id: $0.approachID) != nil }
        return Diagram(svg: svg(shown), rows: shown)
    }

    /// Column headings, two short lines each (a box is a third of a phone's width).
    static let columns = [["1. Taken from", "the patient"], ["2. Changed"], ["3. Given back"]]

    /// Three boxes per therapy, left to right, with arrows; 380 units wide so it reads at
    /// phone width without scrolling (the SVG scales to its container).
    static func svg(_ rows: [Row]) -> String {
        let width = 380, boxWidth = 112, gap = 14, boxHeight = 100, titleHeight = 36, rowGap = 16, header = 38
        let rowHeight = titleHeight + boxHeight + rowGap
        let height = header + rows.count * rowHeight
        let escape = JourneyDiagram.escape
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"therapy-diagram-title therapy-diagram-desc\" class=\"therapy-svg\">",
            "<title id=\"therapy-diagram-title\">How CAR-T, other cell therapies and gene therapies differ</title>",
            "<desc id=\"therapy-diagram-desc\">" + escape(rows.map { "\($0.name), \($0.kind): taken — \($0.taken); changed — \($0.changed); given back — \($0.givenBack)." }.joined(separator: " ")) + "</desc>",
            "<defs><marker id=\"therapy-arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"4\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#4a5565\"/></marker></defs>",
        ]
        for (index, lines) in columns.enumerated() {
            for (line, title) in lines.enumerated() {
                parts.append("<text x=\"\(5 + index * (boxWidth + gap) + boxWidth / 2)\" y=\"\(14 + line * 15)\" font-size=\"12\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#1b2430\">\(escape(title))</text>")
            }
        }
        for (index, row) in rows.enumerated() {
            let top = header + index * rowHeight
            parts.append("<text x=\"5\" y=\"\(top + 14)\" font-size=\"13\" font-weight=\"700\" fill=\"#0b5c8a\">\(escape(row.name))</text>")
            parts.append("<text x=\"5\" y=\"\(top + 29)\" font-size=\"11\" fill=\"#4a5565\">\(escape(row.kind))</text>")
            for (column, text) in [row.taken, row.changed, row.givenBack].enumerated() {
                let x = 5 + column * (boxWidth + gap), y = top + titleHeight
                let empty = column == 0 && row.nothingTaken
                parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"8\" fill=\"\(empty ? "#f4f4f4" : "#e8f1f8")\" stroke=\"\(empty ? "#8a94a3" : "#0b5c8a")\" stroke-width=\"1.5\"\(empty ? " stroke-dasharray=\"5 3\"" : "")/>")
                for (line, words) in JourneyDiagram.wrap(text, width: 16, maxLines: 6).enumerated() {
                    parts.append("<text x=\"\(x + 7)\" y=\"\(y + 17 + line * 14)\" font-size=\"11\" fill=\"#1b2430\">\(escape(words))</text>")
                }
                if column < 2 {
                    let arrowY = y + boxHeight / 2
                    parts.append("<line x1=\"\(x + boxWidth + 1)\" y1=\"\(arrowY)\" x2=\"\(x + boxWidth + gap - 3)\" y2=\"\(arrowY)\" stroke=\"#4a5565\" stroke-width=\"1.5\" marker-end=\"url(#therapy-arrow)\"/>")
                }
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Whether an answer is about how the families differ (it then links to the picture):
    /// a comparison or definition naming two families, or the knowledge base's
    /// "how they relate" explainer.
    static func isAboutTheDifference(_ understanding: Understanding) -> Bool {
        if understanding.approachIDs.contains("cell-vs-gene-therapy") { return true }
        let families = Set(understanding.modalities)
        return families.count >= 2 && !Set(understanding.intents).isDisjoint(with: [.comparison, .definition])
    }

    static let link = "/learn/compare#therapy-diagram"
}
