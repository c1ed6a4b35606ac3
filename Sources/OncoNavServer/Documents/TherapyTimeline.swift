import Foundation
import OncoRecords

/// The treatment history drawn as a timeline: one bar per line of therapy, a diamond per
/// transplant or cell therapy, on a shared time axis. Server-rendered SVG (no script), with
/// every label escaped; each mark links to its source.
enum TherapyTimeline {
    struct Mark {
        let label: String
        let start: Double
        let end: Double?
        let link: String?
        let pending: Bool
    }

    /// Fractional years for a partial date (month and day default to the middle).
    static func position(_ date: ClinicalDate) -> Double {
        Double(date.year) + (Double((date.month ?? 7) - 1) + Double((date.day ?? 15) - 1) / 31) / 12
    }

    static func svg(caseID: String, stored: StoredProfile, today: Date) -> String? {
        let profile = stored.profile
        var marks: [Mark] = []
        func link(_ id: UUID) -> String? { CaseRecordViews.sourceLink(caseID: caseID, factID: id, in: stored) }
        for fact in profile.treatmentLines where fact.isActive && !fact.isNegated {
            guard let start = fact.value.startDate ?? fact.value.endDate else { continue }
            marks.append(Mark(label: fact.value.displayText, start: position(start), end: fact.value.endDate.map(position),
                              link: link(fact.id), pending: !fact.status.isHumanReviewed))
        }
        for fact in profile.transplants where fact.isActive && !fact.isNegated {
            guard let date = fact.value.date else { continue }
            marks.append(Mark(label: fact.value.displayText, start: position(date), end: nil, link: link(fact.id), pending: !fact.status.isHumanReviewed))
        }
        for fact in profile.priorCellTherapies where fact.isActive && !fact.isNegated {
            guard let date = fact.value.date else { continue }
            marks.append(Mark(label: fact.value.displayText, start: position(date), end: nil, link: link(fact.id), pending: !fact.status.isHumanReviewed))
        }
        guard !marks.isEmpty else { return nil }
        marks.sort { $0.start < $1.start }

        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: today)
        let now = position(ClinicalDate(year: components.year ?? 2026, month: components.month, day: components.day))
        let first = floor(marks.map(\.start).min()!)
        let last = max(ceil(max(marks.compactMap(\.end).max() ?? 0, marks.map(\.start).max()!) + 0.01), min(ceil(now), first + 1))
        let width = 720.0, left = 16.0, right = 16.0, rowHeight = 30.0, top = 28.0
        let height = top + Double(marks.count) * rowHeight + 12
        func x(_ year: Double) -> Double { left + (year - first) / max(last - first, 1) * (width - left - right) }

        var out = #"<svg class="timeline" role="img" aria-labelledby="timeline-title" viewBox="0 0 \#(Int(width)) \#(Int(height))" xmlns="http://www.w3.org/2000/svg">"#
        out += #"<title id="timeline-title">Treatment history over time</title>"#
        var year = first
        while year <= last {
            let px = x(year)
            out += #"<line class="tick" x1="\#(fmt(px))" y1="18" x2="\#(fmt(px))" y2="\#(fmt(height - 6))"/>"#
            out += #"<text class="tick-label" x="\#(fmt(px + 2))" y="12">\#(Int(year))</text>"#
            year += 1
        }
        for (index, mark) in marks.enumerated() {
            let y = top + Double(index) * rowHeight
            let startX = x(mark.start)
            var shape: String
            if let end = mark.end {
                let w = max(x(end) - startX, 4)
                shape = #"<rect class="bar\#(mark.pending ? " pending" : "")" x="\#(fmt(startX))" y="\#(fmt(y))" width="\#(fmt(w))" height="12" rx="3"/>"#
            } else {
                shape = #"<path class="event\#(mark.pending ? " pending" : "")" d="M\#(fmt(startX)) \#(fmt(y - 1)) l7 7 l-7 7 l-7 -7 z"/>"#
            }
            let labelX = min(startX, width - 300)
            shape += #"<text class="bar-label" x="\#(fmt(max(labelX, left)))" y="\#(fmt(y + 25))">\#(escape(String(mark.label.prefix(90))))</text>"#
            if let link = mark.link {
                out += #"<a href="\#(escape(link))">\#(shape)</a>"#
            } else {
                out += shape
            }
        }
        out += "</svg>"
        return out
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
