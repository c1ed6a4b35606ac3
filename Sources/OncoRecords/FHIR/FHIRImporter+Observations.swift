import Foundation

extension FHIRImporter {
    /// LOINC codes of the labs the profile keeps, with their normalised names.
    static let labLOINC: [String: String] = [
        "2160-0": "creatinine", "38483-4": "creatinine", "1975-2": "bilirubin", "42719-5": "bilirubin",
        "1920-8": "AST", "1742-6": "ALT", "751-8": "ANC", "26499-4": "ANC", "777-3": "platelets",
        "26515-7": "platelets", "718-7": "hemoglobin", "2532-0": "LDH", "14804-9": "LDH", "6690-2": "WBC",
        "731-0": "ALC", "1751-7": "albumin", "33914-3": "eGFR", "62238-1": "eGFR", "2157-6": "CK",
    ]
    static let lvefLOINC: Set<String> = ["10230-1", "8806-2", "18043-0", "8807-0", "8808-8"]
    static let stageGroupLOINC: Set<String> = ["21908-9", "21902-2", "21914-7"]
    static let tCategoryCodes: Set<String> = ["21905-5", "21899-0", "399504009", "384625004"]
    static let nCategoryCodes: Set<String> = ["21906-3", "21900-6", "399534004", "371494008"]
    static let mCategoryCodes: Set<String> = ["21907-1", "21901-4", "399387003", "371497001"]
    /// Tumour-marker LOINC codes whose marker the code itself names.
    static let markerLOINC: [String: String] = [
        "40556-3": "ER", "16112-5": "ER", "85337-4": "ER", "40557-1": "PR", "16113-3": "PR", "85339-0": "PR",
        "48676-1": "HER2", "18474-7": "HER2", "85318-4": "HER2", "85319-2": "HER2", "72383-3": "HER2",
        "62862-8": "MSI", "94077-5": "TMB", "85147-7": "PD-L1", "83052-1": "PD-L1", "85336-6": "Ki-67",
    ]
    /// HGNC ids of common cancer genes (the mCODE variant profile names genes by HGNC id).
    static let hgncSymbols: [String: String] = [
        "HGNC:3236": "EGFR", "HGNC:427": "ALK", "HGNC:10261": "ROS1", "HGNC:6407": "KRAS", "HGNC:1097": "BRAF",
        "HGNC:7029": "MET", "HGNC:9967": "RET", "HGNC:3430": "ERBB2", "HGNC:11998": "TP53", "HGNC:1100": "BRCA1",
        "HGNC:1101": "BRCA2", "HGNC:8975": "PIK3CA", "HGNC:3467": "ESR1", "HGNC:5382": "IDH1", "HGNC:5383": "IDH2",
        "HGNC:3765": "FLT3", "HGNC:7910": "NPM1", "HGNC:7553": "MYC", "HGNC:990": "BCL2", "HGNC:11389": "STK11",
        "HGNC:1582": "CCND1", "HGNC:3688": "FGFR1", "HGNC:6973": "MDM2", "HGNC:7989": "NRAS",
    ]

    func importObservation(_ context: ResourceContext, into sink: inout ImportSink) {
        let resource = context.resource
        guard let code = context["code"], !code.codings.isEmpty || code.conceptText != nil else {
            sink.issue(.error, context.location, context.reference, "required element \"Observation.code\" is missing; the observation was skipped")
            return
        }
        context.requireElement("status", into: &sink)
        if context["status"]?.string == "entered-in-error" || context["status"]?.string == "cancelled" {
            sink.issue(.information, context.location, context.reference, "status \(context["status"]!.string!); not imported")
            return
        }
        let loinc = code.code(in: FHIRSystem.loinc)
        let codeText = code.conceptText ?? ""
        let date = context.date(["effectiveDateTime", "effectivePeriod", "issued"])
        let allCodes = Set(code.codings.compactMap(\.code))

        if resource.hasProfile(containing: "stage-group") || !allCodes.isDisjoint(with: Self.stageGroupLOINC) {
            importStageGroup(context, date: date, into: &sink)
        } else if resource.hasProfile(containing: "primary-tumor-category") || !allCodes.isDisjoint(with: Self.tCategoryCodes) {
            importTNMCategory(context, part: "T", date: date, into: &sink)
        } else if resource.hasProfile(containing: "regional-nodes-category") || !allCodes.isDisjoint(with: Self.nCategoryCodes) {
            importTNMCategory(context, part: "N", date: date, into: &sink)
        } else if resource.hasProfile(containing: "distant-metastases-category") || !allCodes.isDisjoint(with: Self.mCategoryCodes) {
            importTNMCategory(context, part: "M", date: date, into: &sink)
        } else if resource.hasProfile(containing: "ecog-performance-status") || loinc == "89247-1" {
            importPerformance(context, scale: .ecog, date: date, into: &sink)
        } else if resource.hasProfile(containing: "karnofsky-performance-status") || loinc == "89243-0" {
            importPerformance(context, scale: .karnofsky, date: date, into: &sink)
        } else if resource.hasProfile(containing: "genetic-variant") || resource.hasProfile(containing: "genomic-variant") || loinc == "69548-6" {
            importVariant(context, date: date, into: &sink)
        } else if resource.hasProfile(containing: "tumor-marker") || loinc.map({ Self.markerLOINC[$0] != nil }) == true {
            importTumorMarker(context, codeText: codeText, loinc: loinc, date: date, into: &sink)
        } else if let loinc, Self.lvefLOINC.contains(loinc) {
            importQuantity(context, name: "LVEF", loinc: loinc, date: date, into: &sink, asLVEF: true)
        } else if let loinc, let name = Self.labLOINC[loinc] {
            importQuantity(context, name: name, loinc: loinc, date: date, into: &sink, asLVEF: false)
        } else if !importFinding(context, codeText: codeText, loinc: loinc, date: date, into: &sink) {
            sink.issue(.information, context.location, context.reference,
                       "observation \"\(cleanDisplay(codeText))\" is not a profile field; not imported")
        }
    }

    /// CNS involvement, pregnancy, HIV/HBV/HCV and non-TNM stages, which have no mCODE
    /// profile: recognised by code text (and LOINC 82810-3 for pregnancy). Returns false
    /// when the observation is none of these.
    private func importFinding(_ context: ResourceContext, codeText: String, loinc: String?, date: ClinicalDate?,
                               into sink: inout ImportSink) -> Bool {
        let lower = codeText.lowercased()
        let flag: Bool? = context["valueBoolean"]?.bool ?? readResult(context).flatMap {
            switch $0.0 {
            case .positive: true
            case .negative: false
            default: nil
            }
        }
        let uncertain = context["status"]?.string == "preliminary"
        if lower.contains("cns") || lower.contains("central nervous system") {
            guard let flag else { return false }
            sink.add(.cnsInvolvement(context.fact(ClinicalFinding(text: cleanDisplay(codeText), date: date), element: "value[x]",
                                                  negated: !flag, uncertain: uncertain)))
            return true
        }
        if loinc == "82810-3" || lower.contains("pregnan") {
            let valueText = context["valueCodeableConcept"]?.conceptText?.lowercased()
            let pregnant = flag ?? valueText.map { !$0.contains("not") && $0.contains("pregnant") }
            guard let pregnant else { return false }
            sink.add(.pregnancy(context.fact(ClinicalFinding(text: "pregnancy", date: date), element: "value[x]",
                                             negated: !pregnant, uncertain: uncertain)))
            return true
        }
        let agent: InfectionStatus.Agent? = lower.contains("hiv") ? .hiv
            : (lower.contains("hbv") || lower.contains("hepatitis b") || lower.contains("hbsag")) ? .hbv
            : (lower.contains("hcv") || lower.contains("hepatitis c")) ? .hcv : nil
        if let agent {
            guard let flag else { return false }
            let test = codeText.hasSuffix(" status") ? nil : cleanDisplay(codeText)
            sink.add(.infection(context.fact(InfectionStatus(agent: agent, result: flag ? .positive : .negative, test: test, date: date),
                                             element: "value[x]")))
            return true
        }
        if lower.contains("stage"), let value = context["valueCodeableConcept"]?.conceptText {
            let system: Stage.System = lower.contains("ann arbor") ? .annArbor : lower.contains("r-iss") ? .riss
                : lower.contains("iss") ? .iss : lower.contains("figo") ? .figo : .other
            sink.add(.stage(context.fact(Stage(system: system, group: value, date: date, text: cleanDisplay(codeText) + " " + value),
                                         element: "valueCodeableConcept")))
            return true
        }
        return false
    }

    private func importStageGroup(_ context: ResourceContext, date: ClinicalDate?, into sink: inout ImportSink) {
        guard let value = context["valueCodeableConcept"], let raw = value.codings.first?.display ?? value.conceptText else {
            sink.issue(.error, context.location, context.reference, "stage group without \"valueCodeableConcept\"; not imported")
            return
        }
        let profileText = context.resource.profiles.joined()
        let codeText = context["code"]?.conceptText?.lowercased() ?? ""
        let basis = profileText.contains("pathological") || codeText.contains("patholog") ? "p"
            : profileText.contains("clinical") || codeText.contains("clinical") ? "c" : nil
        sink.add(.stage(context.fact(
            Stage(system: .tnm, group: StageText.ajccGroup(raw), basis: basis, date: date, text: cleanDisplay(raw)),
            element: "valueCodeableConcept")))
    }

    private func importTNMCategory(_ context: ResourceContext, part: String, date: ClinicalDate?, into sink: inout ImportSink) {
        guard let value = context["valueCodeableConcept"], let raw = value.conceptText else {
            sink.issue(.error, context.location, context.reference, "TNM \(part) category without \"valueCodeableConcept\"; not imported")
            return
        }
        // "American Joint Committee on Cancer cT3 (qualifier value)" → "cT3"; a bare code "cT3" stays.
        let pattern = #"\b([cpy]?\#(part)(is|[0-4X])[a-d]?(\([a-z]+\))?)"#
        let category = raw.range(of: pattern, options: .regularExpression).map { String(raw[$0]) } ?? cleanDisplay(raw)
        var stage = Stage(system: .tnm, date: date, text: cleanDisplay(raw))
        switch part {
        case "T": stage.t = category
        case "N": stage.n = category
        default: stage.m = category
        }
        if let first = category.first, "cp".contains(first) { stage.basis = String(first) }
        sink.add(.stage(context.fact(stage, element: "valueCodeableConcept")))
    }

    private func importPerformance(_ context: ResourceContext, scale: PerformanceStatus.Scale, date: ClinicalDate?, into sink: inout ImportSink) {
        let score = context["valueInteger"]?.number
            ?? context["valueQuantity"]?["value"]?.number
            ?? context["valueCodeableConcept"]?.codings.compactMap { $0.code.flatMap(Double.init) }.first
        let range = scale == .ecog ? 0.0...5.0 : 0.0...100.0
        guard let score, range.contains(score) else {
            sink.issue(.error, context.location, context.reference, "\(scale.rawValue) observation without a score in \(Int(range.lowerBound))–\(Int(range.upperBound)); not imported")
            return
        }
        sink.add(.performanceStatus(context.fact(PerformanceStatus(scale: scale, score: Int(score), date: date), element: "valueInteger")))
    }

    private func importTumorMarker(_ context: ResourceContext, codeText: String, loinc: String?, date: ClinicalDate?, into sink: inout ImportSink) {
        let marker = loinc.flatMap { Self.markerLOINC[$0] }
            ?? lexicon.firstMention(in: codeText, kinds: [.biomarker])?.displayName
            ?? cleanDisplay(codeText)
        guard let (interpretation, value, element) = readResult(context) else {
            sink.issue(.error, context.location, context.reference, "tumour marker \"\(marker)\" has no value[x] or interpretation; not imported")
            return
        }
        let entry = lexicon.lookup(marker, kinds: [.biomarker])
        sink.add(.biomarker(context.fact(
            BiomarkerResult(marker: marker, conceptID: entry?.conceptID, interpretation: interpretation, value: value, date: date),
            element: element)))
    }

    private func importVariant(_ context: ResourceContext, date: ClinicalDate?, into sink: inout ImportSink) {
        var gene: String?
        var alteration: [String] = []
        for component in context["component"]?.list ?? [] {
            let componentCode = component["code"]?.code(in: FHIRSystem.loinc)
            let value = component["valueCodeableConcept"]
            switch componentCode {
            case "48018-6":  // Gene studied
                if let hgnc = value?.code(in: FHIRSystem.hgnc) ?? value?.codings.first?.code, let symbol = Self.hgncSymbols[hgnc] {
                    gene = symbol
                } else if let text = value?.conceptText {
                    gene = lexicon.lookup(text, kinds: [.biomarker])?.displayName ?? text
                }
            case "48004-6", "81290-9", "48005-3", "81252-9":  // DNA change (c.), genomic change (g.), amino-acid change (p.), variation id
                // Keep displays and HGVS expressions; a bare ClinVar number means nothing to a reader.
                if let text = value?.codings.first?.display ?? value?["text"]?.string ?? component["valueString"]?.string {
                    alteration.append(text)
                } else if let code = value?.codings.first?.code, code.contains(".") || code.contains(":") {
                    alteration.append(code)
                }
            default: continue
            }
        }
        guard let gene else {
            sink.issue(.error, context.location, context.reference, "genetic variant without a \"Gene studied\" (LOINC 48018-6) component; not imported")
            return
        }
        let result = readResult(context)
        if let interpretation = context["interpretation"]?.list.first?.conceptText, !interpretation.isEmpty, alteration.isEmpty {
            alteration.append(cleanDisplay(interpretation))
        }
        let entry = lexicon.lookup(gene, kinds: [.biomarker])
        sink.add(.biomarker(context.fact(
            BiomarkerResult(marker: gene, conceptID: entry?.conceptID,
                            alteration: alteration.isEmpty ? nil : alteration.joined(separator: "; "),
                            interpretation: result?.0 ?? .positive, value: result?.1, date: date),
            element: "component")))
    }

    private func importQuantity(_ context: ResourceContext, name: String, loinc: String, date: ClinicalDate?,
                                into sink: inout ImportSink, asLVEF: Bool) {
        guard let quantity = context["valueQuantity"], let value = quantity["value"]?.number else {
            sink.issue(.error, context.location, context.reference, "\(name) without \"valueQuantity.value\"; not imported")
            return
        }
        let unit = quantity["unit"]?.string ?? quantity["code"]?.string
        let lab = LabResult(name: name, loinc: loinc, value: value, unit: unit, date: date)
        let fact = context.fact(lab, element: "valueQuantity")
        sink.add(asLVEF ? .lvef(fact) : .lab(fact))
    }

    /// Reads positive/negative/value from value[x] or `interpretation`.
    private func readResult(_ context: ResourceContext) -> (BiomarkerResult.Interpretation, String?, String)? {
        if let concept = context["valueCodeableConcept"], let text = concept.conceptText {
            let lower = text.lowercased()
            let codes = Set(concept.codings.compactMap(\.code))
            if lower.contains("negative") || lower.contains("not detected") || lower.contains("absent")
                || !codes.isDisjoint(with: ["260385009", "LA6577-6", "LA9634-2", "NEG"]) {
                return (.negative, nil, "valueCodeableConcept")
            }
            if lower.contains("positive") || lower.contains("detected") || lower.contains("present")
                || !codes.isDisjoint(with: ["10828004", "LA6576-8", "LA9633-4", "POS"]) {
                return (.positive, nil, "valueCodeableConcept")
            }
            if lower.contains("equivocal") || lower.contains("indeterminate") {
                return (.indeterminate, nil, "valueCodeableConcept")
            }
            return (.value, cleanDisplay(text), "valueCodeableConcept")
        }
        if let quantity = context["valueQuantity"], let value = quantity["value"]?.number {
            let number = value == value.rounded() ? String(Int(value)) : String(value)
            let unit = quantity["unit"]?.string ?? quantity["code"]?.string
            return (.value, number + (unit.map { " \($0)" } ?? ""), "valueQuantity")
        }
        if let text = context["valueString"]?.string { return (.value, text, "valueString") }
        if let interpretation = context["interpretation"]?.list.first {
            let codes = Set(interpretation.codings.compactMap(\.code))
            if !codes.isDisjoint(with: ["POS", "A", "H", "HH", "DET"]) { return (.positive, nil, "interpretation") }
            if !codes.isDisjoint(with: ["NEG", "N", "ND"]) { return (.negative, nil, "interpretation") }
        }
        return nil
    }
}
