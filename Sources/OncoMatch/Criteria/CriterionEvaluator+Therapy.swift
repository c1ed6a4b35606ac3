import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Prior therapy, washout and transplant conditions. Absence of a therapy is never
/// inferred from a record that does not mention it: "not received" stays unknown.
extension CriterionEvaluator {
    /// The facts showing the subject was given, or nil when nothing in the records shows it.
    func received(_ subject: PriorTherapyRequirement.Subject, _ reading: CaseReading) -> [FactSummary]? {
        let profile = reading.profile
        func lines(_ predicate: (TreatmentLine) -> Bool) -> [FactSummary] {
            profile.treatmentLines.filter { $0.isActive && !$0.isNegated && predicate($0.value) }.map { reading.summary($0, .treatmentLine) }
        }
        let cells = profile.priorCellTherapies.filter { $0.isActive && !$0.isNegated }
        let transplants = profile.transplants.filter { $0.isActive && !$0.isNegated }
        var found: [FactSummary]
        switch subject {
        case .lines: return nil
        case .drug(let id, let name):
            let bare = id.split(separator: ":").last.map(String.init) ?? id
            let kbID = knowledge.drug(id: bare)?.id ?? knowledge.drug(named: name)?.id ?? bare
            found = reading.receivedClassIDs[kbID] ?? []
            if let product = knowledge.product(id: bare) ?? knowledge.product(named: name) {
                found += cells.filter { $0.value.product?.conceptID == product.id }.map { reading.summary($0, .priorCellTherapy) }
            }
        case .drugClass(let id, let name):
            let bare = id.hasPrefix("class:") ? String(id.dropFirst(6)) : id
            if bare == "cd19-directed" { return received(.cd19Directed, reading) }
            if bare == "bcma-directed" { return received(.bcmaDirected, reading) }
            let kbID = knowledge.drugClass(id: bare)?.id ?? knowledge.drugClass(id: name.lowercased())?.id ?? bare
            found = reading.receivedClassIDs[kbID] ?? []
        case .carT:
            found = cells.map { reading.summary($0, .priorCellTherapy) }
        case .cd19Directed, .bcmaDirected:
            let target = subject == .cd19Directed ? "CD19" : "BCMA"
            found = cells.filter { cell in
                cell.value.target?.uppercased() == target
                    || cell.value.product.flatMap { $0.conceptID.flatMap(knowledge.product(id:)) }?.target?.uppercased() == target
            }.map { reading.summary($0, .priorCellTherapy) }
        case .autologousTransplant:
            found = transplants.filter { $0.value.kind == .autologous }.map { reading.summary($0, .transplant) }
        case .allogeneicTransplant:
            found = transplants.filter { $0.value.kind == .allogeneic }.map { reading.summary($0, .transplant) }
        case .transplant:
            found = transplants.map { reading.summary($0, .transplant) }
        case .radiotherapy:
            found = lines { $0.kind == .radiation }
        case .surgery:
            found = lines { $0.kind == .surgery }
        case .chemotherapy:
            found = reading.receivedClassIDs["chemotherapy"] ?? []
        case .geneTherapy:
            found = []
        case .anyAnticancerTherapy:
            found = lines { _ in true } + cells.map { reading.summary($0, .priorCellTherapy) }
        }
        return found.isEmpty ? nil : found
    }

    static func describe(_ subject: PriorTherapyRequirement.Subject) -> String {
        switch subject {
        case .lines(let bounds): "\(bounds.phrase()) prior lines of therapy"
        case .drug(_, let name), .drugClass(_, let name): name
        case .carT: "CAR-T cell therapy"
        case .bcmaDirected: "BCMA-directed therapy"
        case .cd19Directed: "CD19-directed therapy"
        case .autologousTransplant: "an autologous stem cell transplant"
        case .allogeneicTransplant: "an allogeneic (donor) stem cell transplant"
        case .transplant: "a stem cell transplant"
        case .radiotherapy: "radiotherapy"
        case .surgery: "surgery"
        case .chemotherapy: "chemotherapy"
        case .geneTherapy: "gene therapy"
        case .anyAnticancerTherapy: "cancer treatment"
        }
    }

    func priorTherapy(_ requirement: PriorTherapyRequirement, _ reading: CaseReading) -> Finding {
        if case .lines(let bounds) = requirement.subject {
            guard !reading.lines.isEmpty else {
                return .unknown("\(bounds.phrase()) prior lines of therapy; no lines of therapy in the records", [Needs.priorLines])
            }
            let count = reading.priorLineCount
            return Finding(truth: bounds.contains(Double(count)), reason: "\(bounds.phrase()) prior lines of therapy; the records show \(count)",
                           evidence: reading.lineEvidence, needs: [Needs.priorLines])
        }
        let name = Self.describe(requirement.subject)
        guard let evidence = received(requirement.subject, reading) else {
            return .unknown("prior \(name) is not mentioned in the records", [Needs.treatmentHistory])
        }
        guard let window = requirement.window, let unit = requirement.windowUnit else {
            return Finding(truth: true, reason: "the records show prior \(name)", evidence: evidence)
        }
        // A window: how long ago the most recent such therapy was.
        guard let elapsed = daysSince(evidence, reading) else {
            return .unknown("prior \(name) is recorded without a date", [Needs.treatmentDates], evidence: evidence)
        }
        let inUnit = (elapsed.lowerBound / TimeSpan(1, unit).days)...(elapsed.upperBound / TimeSpan(1, unit).days)
        let inside = window.contains(range: inUnit)
        return Finding(truth: inside, reason: "prior \(name) \(window.phrase(unit: unit.rawValue)) ago; the records date it about \(Int(elapsed.lowerBound / 30.4375)) months ago",
                       evidence: evidence, needs: inside == nil ? [Needs.treatmentDates] : [])
    }

    /// Days since the latest of the facts' dates (end date for a line, else start), as a range for partial dates.
    func daysSince(_ evidence: [FactSummary], _ reading: CaseReading) -> ClosedRange<Double>? {
        let ids = Set(evidence.map(\.id))
        var dates: [ClinicalDate] = []
        for fact in reading.profile.treatmentLines where ids.contains(fact.id) {
            if let date = fact.value.endDate ?? fact.value.startDate { dates.append(date) }
        }
        dates += reading.profile.transplants.filter { ids.contains($0.id) }.compactMap(\.value.date)
        dates += reading.profile.priorCellTherapies.filter { ids.contains($0.id) }.compactMap(\.value.date)
        guard let latest = dates.max() else { return nil }
        let months = CaseReading.months(from: latest, to: reading.todayDate)
        let exactDays: Double? = {
            guard let m = latest.month, let d = latest.day else { return nil }
            let calendar = Calendar(identifier: .gregorian)
            guard let from = calendar.date(from: DateComponents(year: latest.year, month: m, day: d)),
                  let to = calendar.date(from: DateComponents(year: reading.today.year, month: reading.today.month, day: max(reading.today.day, 1))) else { return nil }
            return Double(calendar.dateComponents([.day], from: from, to: to).day ?? 0)
        }()
        if let exactDays { return exactDays...exactDays }
        return max(0, Double(months.lowerBound - 1) * 30.4375)...(Double(months.upperBound + 1) * 30.4375)
    }

    /// "At least 14 days since chemotherapy": true when the latest therapy ended long enough ago.
    func washout(_ therapy: String, _ minimum: TimeSpan, _ reading: CaseReading) -> Finding {
        let span = "\(Bounds.number(minimum.value)) \(minimum.unit.rawValue)"
        let subject: PriorTherapyRequirement.Subject? = switch therapy {
        case "chemotherapy": .chemotherapy
        case "radiotherapy": .radiotherapy
        case "surgery": .surgery
        default: nil
        }
        let evidence = subject.flatMap { received($0, reading) } ?? reading.lineEvidence
        guard !evidence.isEmpty, let elapsed = daysSince(evidence, reading) else {
            return .unknown("at least \(span) since the last \(therapy); the date of the last treatment is not in the records", [Needs.treatmentDates], evidence: evidence)
        }
        if elapsed.lowerBound >= minimum.days {
            return Finding(truth: true, reason: "at least \(span) since the last \(therapy); the latest recorded treatment was about \(Int(elapsed.lowerBound)) days ago", evidence: evidence)
        }
        if elapsed.upperBound < minimum.days {
            return Finding(truth: false, reason: "at least \(span) since the last \(therapy); the latest recorded treatment was about \(Int(elapsed.upperBound)) days ago", evidence: evidence)
        }
        return .unknown("at least \(span) since the last \(therapy); the recorded dates are not precise enough", [Needs.treatmentDates], evidence: evidence)
    }
}
