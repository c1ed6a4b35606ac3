import Foundation

extension FHIRImporter {
    func importPatient(_ context: ResourceContext, into sink: inout ImportSink) {
        if let text = context["birthDate"]?.string {
            if let date = ClinicalDate(iso: text) {
                sink.add(.birthDate(context.fact(date, element: "birthDate")))
            } else {
                sink.issue(.error, context.location, context.reference, "birthDate \"\(text)\" is not a FHIR date; not imported")
            }
        }
        if let gender = context["gender"]?.string {
            if let sex = AdministrativeSex(rawValue: gender) {
                sink.add(.sex(context.fact(sex, element: "gender")))
            } else {
                sink.issue(.error, context.location, context.reference, "gender \"\(gender)\" is not male/female/other/unknown; not imported")
            }
        }
    }

    func importCondition(_ context: ResourceContext, into sink: inout ImportSink) {
        guard let code = context["code"], let text = code.conceptText else {
            sink.issue(.error, context.location, context.reference, "required element \"Condition.code\" is missing; the condition was skipped")
            return
        }
        if context["subject"] == nil {
            sink.issue(.warning, context.location, context.reference,
                       "required element \"Condition.subject\" is missing (FHIR R4; DSTU2 used \"patient\"); imported anyway")
        }
        let resource = context.resource
        let isPrimary = resource.hasProfile(containing: "mcode-primary-cancer-condition")
        let isSecondary = resource.hasProfile(containing: "mcode-secondary-cancer-condition")
        let looksLikeCancer = isCancerCode(code, text: text)
        guard isPrimary || isSecondary || looksLikeCancer else {
            sink.issue(.information, context.location, context.reference,
                       "\"\(cleanDisplay(text))\" is not a cancer condition; comorbidities are not profile fields")
            return
        }

        // verificationStatus: R4 CodeableConcept, DSTU2 plain code.
        let verification = context["verificationStatus"]?.codings.first?.code ?? context["verificationStatus"]?.string
        if verification == "entered-in-error" {
            sink.issue(.information, context.location, context.reference, "entered-in-error; not imported")
            return
        }
        let negated = verification == "refuted"
        let uncertain = ["provisional", "differential", "unconfirmed"].contains(verification ?? "")

        let display = cleanDisplay(text)
        let concept = lexicon.lookup(display, kinds: [.cancer]) ?? lexicon.firstMention(in: display, kinds: [.cancer])
        let coded = CodedText(conceptID: concept?.conceptID, text: display, codes: code.codings.compactMap(\.token))
        let date = context.date(["onsetDateTime", "onsetPeriod", "recordedDate", "dateRecorded", "assertedDate"])
            ?? resource.extensionValue(urlSuffix: "condition-assertedDate")?.string.flatMap(ClinicalDate.init(iso:))
        let bodySite = context["bodySite"]?.list.first?.conceptText.map(cleanDisplay)
        let diagnosis = Diagnosis(cancer: coded, diagnosisDate: date, bodySite: bodySite)
        let heuristic = !(isPrimary || isSecondary)
        let fact = context.fact(diagnosis, element: "code", confidence: heuristic ? 0.8 : nil, negated: negated, uncertain: uncertain)
        if isSecondary {
            sink.add(.secondaryCancer(fact))
        } else {
            sink.add(.primaryCancer(fact))
            if heuristic {
                sink.issue(.warning, context.location, context.reference,
                           "no mCODE cancer-condition profile; \"\(display)\" was read as a primary cancer from its code")
            }
        }

        if let histology = resource.extensionValue(urlSuffix: "mcode-histology-morphology-behavior"), let histologyText = histology.conceptText {
            let name = cleanDisplay(histologyText)
            let entry = lexicon.lookup(name, kinds: [.histology])
            sink.add(.histology(context.fact(
                CodedText(conceptID: entry?.conceptID, text: name, codes: histology.codings.compactMap(\.token)),
                element: "extension(histology-morphology-behavior)")))
        }

        for (index, stage) in (context["stage"]?.list ?? []).enumerated() {
            guard let summary = stage["summary"], let stageText = summary.conceptText else { continue }
            let basis = stage["type"]?.conceptText.map { $0.lowercased().contains("patholog") ? "p" : "c" }
            let group = StageText.ajccGroup(stageText)  // display "IV", or the bare AJCC code "4" → "IV"
            sink.add(.stage(context.fact(
                Stage(system: .tnm, group: group, basis: basis, date: date, text: cleanDisplay(stageText)),
                element: "stage[\(index)].summary")))
        }
    }

    /// A Condition without an mCODE profile counts as cancer when the lexicon knows its
    /// name, its ICD-10 code is in C00–D09 (malignant / in situ), or its words say so.
    private func isCancerCode(_ code: JSONValue, text: String) -> Bool {
        if lexicon.firstMention(in: text, kinds: [.cancer]) != nil { return true }
        for coding in code.codings {
            guard let value = coding.code else { continue }
            let isICD10 = coding.system?.contains("icd-10") == true || coding.system == "urn:oid:2.16.840.1.113883.6.90"
            if isICD10, let first = value.first, first == "C" || (first == "D" && (Int(value.dropFirst().prefix(2)) ?? 99) < 10) {
                return true
            }
        }
        let words = ["malignant", "carcinoma", "lymphoma", "leukemia", "leukaemia", "myeloma", "sarcoma",
                     "melanoma", "cancer", "neoplasm", "glioma", "blastoma"]
        let lower = text.lowercased()
        return words.contains { lower.contains($0) } && !lower.contains("benign")
    }
}

/// Stage wording helpers shared by the FHIR importer and the text extractor.
enum StageText {
    private static let romans = ["0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"]

    /// Normalises AJCC stage groups: "4" → "IV", "3C" → "IIIC", "c3A" → "IIIA",
    /// "Stage 3A (qualifier value)" → "IIIA", "IIb" → "IIB"; other text is returned trimmed.
    static func ajccGroup(_ raw: String) -> String {
        var text = cleanDisplay(raw).trimmingCharacters(in: .whitespaces)
        if text.lowercased().hasPrefix("stage ") { text = String(text.dropFirst(6)) }
        if let first = text.first, "cpy".contains(first), text.count > 1, let second = text.dropFirst().first, second.isNumber {
            text = String(text.dropFirst())
        }
        if let first = text.first, let roman = romans[String(first)] {
            return roman + text.dropFirst().uppercased()
        }
        if text.range(of: #"^(IV|I{1,3})[A-Da-d]?[0-9]?$"#, options: .regularExpression) != nil {
            return text.uppercased()
        }
        return text
    }
}
