import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Performance status, CNS, laboratory values, infections and pregnancy.
extension CriterionEvaluator {
    func performance(_ scale: PerformanceScale, _ bounds: Bounds, _ reading: CaseReading) -> Finding {
        let wanted: PerformanceStatus.Scale? = switch scale {
        case .ecog, .who: .ecog
        case .karnofsky: .karnofsky
        case .lansky: nil
        }
        let label = "\(scale.rawValue) \(bounds.phrase())"
        guard let wanted, let fact = PatientProfile.latest(reading.profile.performanceStatuses.filter({ $0.value.scale == wanted }), date: \.date) else {
            let other = PatientProfile.latest(reading.profile.performanceStatuses, date: \.date)
            // The other scale, converted by the published correspondence of ECOG grades and Karnofsky scores.
            if let wanted, let other, let truth = Self.converted(other.value, to: wanted, bounds) {
                return Finding(truth: truth, reason: "\(label); the records show \(other.value.displayText), which corresponds to \(Self.correspondence(other.value))",
                               evidence: [reading.summary(other, .performanceStatus)])
            }
            return .unknown("\(label); \(other.map { "the records give only \($0.value.displayText)" } ?? "no performance status in the records")",
                            [Needs.performanceStatus], evidence: other.map { [reading.summary($0, .performanceStatus)] } ?? [])
        }
        return Finding(truth: bounds.contains(Double(fact.value.score)), reason: "\(label); the records show \(fact.value.displayText)",
                       evidence: [reading.summary(fact, .performanceStatus)])
    }

    /// Karnofsky scores per ECOG grade, as ECOG-ACRIN publishes the two scales side by side
    /// (https://ecog-acrin.org/resources/ecog-performance-status/): 0 ↔ 90–100, 1 ↔ 70–80,
    /// 2 ↔ 50–60, 3 ↔ 30–40, 4 ↔ 10–20, 5 ↔ 0.
    static let karnofskyForECOG: [Int: ClosedRange<Double>] = [0: 90...100, 1: 70...80, 2: 50...60, 3: 30...40, 4: 10...20, 5: 0...0]

    static func ecogGrade(karnofsky score: Int) -> Int? {
        karnofskyForECOG.first { $0.value.contains(Double(score)) }?.key
    }

    /// Whether a score on one scale meets bounds on the other; nil when the conversion cannot settle it.
    static func converted(_ status: PerformanceStatus, to scale: PerformanceStatus.Scale, _ bounds: Bounds) -> Bool? {
        switch (status.scale, scale) {
        case (.ecog, .karnofsky): karnofskyForECOG[status.score].flatMap { bounds.contains(range: $0) }
        case (.karnofsky, .ecog): ecogGrade(karnofsky: status.score).map { bounds.contains(Double($0)) }
        default: nil
        }
    }

    static func correspondence(_ status: PerformanceStatus) -> String {
        switch status.scale {
        case .ecog: karnofskyForECOG[status.score].map { "Karnofsky \(Int($0.lowerBound))–\(Int($0.upperBound))" } ?? "no Karnofsky score"
        case .karnofsky: ecogGrade(karnofsky: status.score).map { "ECOG \($0)" } ?? "no ECOG grade"
        }
    }

    func cns(_ rule: CNSRule, _ reading: CaseReading) -> Finding {
        let facts = reading.profile.cnsInvolvement.filter(\.isActive)
        guard let fact = PatientProfile.preferred(facts) else {
            return .unknown("the records do not say whether the cancer involves the brain or spinal cord", [Needs.cns])
        }
        let evidence = [reading.summary(fact, .cnsInvolvement)]
        if fact.isNegated { return Finding(truth: false, reason: "the records state no CNS involvement", evidence: evidence) }
        if fact.isUncertain { return .unknown("the records say CNS involvement is possible", [Needs.cns], evidence: evidence) }
        return Finding(truth: true, reason: "the records show CNS involvement: \(fact.value.displayText)", evidence: evidence)
    }

    func lab(_ threshold: LabThreshold, _ reading: CaseReading) -> Finding {
        if threshold.analyte == .astAlt {
            return Finding.all([LabThreshold.Analyte.ast, .alt].map { analyte in
                var single = threshold
                single.analyte = analyte
                return lab(single, reading)
            })
        }
        let analyte = threshold.analyte
        let names = LabUnits.names(analyte)
        let pool = analyte == .lvef ? reading.profile.lvefs : reading.profile.labs.filter { names.contains($0.value.name.lowercased()) }
        let unit = LabUnits.canonicalUnit(analyte)
        let label = "\(names[0].uppercased() == names[0] ? names[0] : names[0]) \(threshold.timesULN ? threshold.bounds.phrase() + " × ULN" : threshold.bounds.phrase(unit: threshold.unit))"
        let need = analyte == .lvef ? Needs.lvef : Needs.lab(names[0] == "alc" ? "lymphocyte count" : names[0].count <= 4 ? names[0].uppercased() : names[0])
        guard let fact = PatientProfile.latest(pool, date: \.date) else {
            return .unknown("\(label); no result in the records", [need])
        }
        let evidence = [analyte == .lvef ? reading.summary(fact, .lvef) : reading.summary(fact, .lab)]
        guard let value = LabUnits.canonical(fact.value.value, unit: fact.value.unit, analyte: analyte) else {
            return .unknown("\(label); the unit of \(fact.value.displayText) is not recognised", [need], evidence: evidence)
        }
        let shown = "\(Bounds.number((value * 100).rounded() / 100))\(unit.isEmpty ? "" : " " + unit)"
        if threshold.timesULN {
            guard let uln = LabUnits.upperLimitOfNormal(analyte) else {
                return .unknown("\(label); the laboratory's upper limit of normal is needed", [need], evidence: evidence)
            }
            // The multiple of ULN for the highest and lowest common ULN.
            let multiples = (value / uln.upperBound)...(value / uln.lowerBound)
            let truth = threshold.bounds.contains(range: multiples)
            let reason = "\(label); the records show \(shown) (\(String(format: "%.1f", multiples.lowerBound))–\(String(format: "%.1f", multiples.upperBound)) × the usual upper limits \(Bounds.number(uln.lowerBound))–\(Bounds.number(uln.upperBound)) \(unit))"
            return Finding(truth: truth, reason: truth == nil ? reason + "; depends on the laboratory's own limit" : reason, evidence: evidence,
                           needs: truth == nil ? [InformationNeed(key: "uln:\(names[0])", action: "The laboratory's normal range for \(names[0]) (on the lab report)")] : [])
        }
        guard let limit = Self.canonicalBounds(threshold, analyte) else {
            return .unknown("\(label); the criterion's unit is not recognised", [Needs.trialTeam], evidence: evidence)
        }
        return Finding(truth: limit.contains(value), reason: "\(label); the records show \(shown)", evidence: evidence)
    }

    /// The threshold's bounds converted to the analyte's canonical unit.
    static func canonicalBounds(_ threshold: LabThreshold, _ analyte: LabThreshold.Analyte) -> Bounds? {
        func convert(_ bound: NumericBound?) -> NumericBound?? {
            guard let bound else { return .some(nil) }
            guard let value = LabUnits.canonical(bound.value, unit: threshold.unit, analyte: analyte) else { return nil }
            return .some(NumericBound(value, inclusive: bound.inclusive))
        }
        guard let lower = convert(threshold.bounds.lower), let upper = convert(threshold.bounds.upper) else { return nil }
        return Bounds(lower: lower, upper: upper)
    }

    func infection(_ kind: InfectionKind, _ reading: CaseReading) -> Finding {
        let agent: InfectionStatus.Agent? = switch kind {
        case .hiv: .hiv
        case .hbv: .hbv
        case .hcv: .hcv
        default: nil
        }
        guard let agent else {
            return .unknown("\(kind.rawValue.replacingOccurrences(of: "-", with: " ")) is not stated in the records", [Needs.check("any current \(kind.rawValue.replacingOccurrences(of: "-", with: " "))")])
        }
        let facts = reading.profile.infections.filter { $0.isActive && !$0.isNegated && $0.value.agent == agent }
        if let positive = facts.first(where: { $0.value.result == .positive }) {
            return Finding(truth: true, reason: "the records show \(positive.value.displayText)", evidence: [reading.summary(positive, .infection)])
        }
        if let negative = PatientProfile.latest(facts, date: \.date) {
            return Finding(truth: false, reason: "the records show \(negative.value.displayText)", evidence: [reading.summary(negative, .infection)])
        }
        return .unknown("no \(agent.rawValue) test in the records", [Needs.infection(agent.rawValue)])
    }

    func pregnancy(_ rule: PregnancyRule, _ reading: CaseReading) -> Finding {
        let facts = reading.profile.pregnancy.filter(\.isActive)
        let fact = PatientProfile.preferred(facts)
        let evidence = fact.map { [reading.summary($0, .pregnancy)] } ?? []
        switch rule {
        case .pregnantOrBreastfeeding:
            if let fact, !fact.isNegated { return Finding(truth: true, reason: "the records show a pregnancy", evidence: evidence) }
            return .unknown("pregnancy and breastfeeding are not both stated in the records", [Needs.pregnancy], evidence: evidence)
        case .negativePregnancyTest:
            guard let fact else { return .unknown("no pregnancy test in the records", [Needs.pregnancy]) }
            return Finding(truth: fact.isNegated, reason: fact.isNegated ? "the records state no pregnancy" : "the records show a pregnancy", evidence: evidence)
        case .contraceptionRequired:
            return .unknown("an agreement to use contraception is discussed with the trial team", [Needs.trialTeam])
        }
    }
}
