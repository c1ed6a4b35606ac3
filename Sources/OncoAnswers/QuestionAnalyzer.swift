import Foundation
import OncoKnowledge

/// Reads a question in a person's own words and says what it is about: treatments and
/// products (by any name, brand, abbreviation or small misspelling), the cancer, the
/// country, what the person wants to know, and whether it must be declined.
///
/// Build once per knowledge base (the lookup tables are made here); `analyze` is cheap.
public struct QuestionAnalyzer: Sendable {
    public let knowledge: KnowledgeBase
    let lexicon: TermLexicon
    let productNames: ProductNameFinder

    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        self.lexicon = TermLexicon(knowledge: knowledge)
        self.productNames = ProductNameFinder(knowledge: knowledge, lexicon: lexicon)
    }

    public func analyze(_ question: String) -> Understanding {
        let words = Words(question)
        var result = Understanding()
        for (meaning, correction) in findTerms(in: words) {
            record(meaning, in: &result)
            if let correction { result.corrections.append(correction) }
        }
        for (term, meaning) in lexicon.unspaced where words.normalized.contains(term) { record(meaning, in: &result) }
        if QuestionVocabulary.priorTransplantPhrases.contains(where: words.contains) {
            result.modalities.removeAll { $0 == .transplant }
        }
        result.cancerIDs = mostSpecificFirst(result.cancerIDs)
        // "EBV lymphoma (PTLD)": a name in brackets after a mention says which disease it is.
        for inside in Self.bracketed(question) {
            for (meaning, _) in findTerms(in: Words(inside)) {
                guard case .cancer(let id) = meaning, let index = result.cancerIDs.firstIndex(of: id), index > 0 else { continue }
                result.cancerIDs.remove(at: index)
                result.cancerIDs.insert(id, at: 0)
            }
        }
        result.reportsClaim = QuestionVocabulary.claimPhrases.contains(where: words.contains)
        result.unknownProductNames = productNames.unknownNames(in: question, understanding: result)
        result.aspects = QuestionVocabulary.aspectPhrases.filter { $0.1.contains(where: words.contains) }.map(\.0)
        result.intents = intents(in: words, understood: result)
        result.concern = concern(in: words, understood: result)
        return result
    }

    // MARK: Terms

    /// Longest phrases first at each position; an exact name beats a misspelling of the
    /// same length. Words already used by a longer phrase are not read again.
    private func findTerms(in words: Words) -> [(TermMeaning, Correction?)] {
        var found: [(TermMeaning, Correction?)] = []
        var start = 0
        let tokens = words.tokens
        while start < tokens.count {
            let longest = min(lexicon.longestPhrase, tokens.count - start)
            var matched = 0
            for length in stride(from: longest, through: 1, by: -1) {
                let phrase = tokens[start..<start + length].joined(separator: " ")
                if let meanings = lexicon.exact[phrase], capitalsRuleAllows(phrase, words: words, at: start, length: length) {
                    found += meanings.map { ($0, nil) }
                    matched = length
                    break
                }
            }
            if matched == 0 {
                for length in stride(from: min(longest, Self.longestMisspelling), through: 1, by: -1) {
                    let slice = tokens[start..<start + length]
                    guard !slice.contains(where: QuestionVocabulary.stopWords.contains) else { continue }
                    let phrase = slice.joined(separator: " ")
                    guard !QuestionVocabulary.commonWords.contains(phrase), let term = lexicon.closest(to: phrase, words: length) else { continue }
                    found += term.meanings.map { ($0, Correction(written: phrase, understoodAs: term.phrase)) }
                    matched = length
                    break
                }
            }
            start += max(matched, 1)
        }
        return found
    }

    /// The most words a misspelt name is looked for in.
    static let longestMisspelling = 6

    /// "US", "ALL", "CAR" and the like count only in capitals.
    private func capitalsRuleAllows(_ phrase: String, words: Words, at start: Int, length: Int) -> Bool {
        guard QuestionVocabulary.capitalsOnly.contains(phrase) else { return true }
        return words.raw[start..<start + length].allSatisfy { !$0.contains { $0.isLowercase } }
    }

    /// Short texts written in brackets: "(PTLD)", "(obe-cel)".
    static func bracketed(_ text: String) -> [String] {
        var result: [String] = []
        var current: String?
        for character in text {
            if character == "(" { current = "" } else if character == ")" {
                if let inside = current, (1...40).contains(inside.count) { result.append(inside) }
                current = nil
            } else if current != nil { current!.append(character) }
        }
        return result
    }

    private func record(_ meaning: TermMeaning, in result: inout Understanding) {
        func add<T: Equatable>(_ value: T, to list: inout [T]) { if !list.contains(value) { list.append(value) } }
        switch meaning {
        case .cancer(let id): add(id, to: &result.cancerIDs)
        case .product(let id): add(id, to: &result.productIDs)
        case .approach(let id, let modality):
            add(id, to: &result.approachIDs)
            add(modality, to: &result.modalities)
        case .modalities(let list): for modality in list { add(modality, to: &result.modalities) }
        case .region(let region): add(region, to: &result.regions)
        case .glossary(let id): add(id, to: &result.glossaryIDs)
        case .safety(let id): add(id, to: &result.safetyIDs)
        }
    }

    /// A modal, a person (a pronoun or "my <anyone>" of up to three words) and a verb of
    /// receiving, or "an option / available for <person>", over normalised words.
    static let asksWhetherSomeoneCouldHave = try! NSRegularExpression(pattern:
        #"\b(can|could|would|will|may|might)\s+(i|he|she|we|they|you|my(\s+[a-z0-9]+){1,3})\s+(still\s+|even\s+|also\s+)?(be\s+able\s+to\s+|be\s+allowed\s+to\s+)?(get|have|receive|use|try|be\s+given|be\s+treated\s+with|go\s+straight\s+to|qualify|access)\b|\b(an?\s+)?(option|possible|available|possibility)\s+(for|to)\s+(me|him|her|us|them|my)\b"#)

    /// Drops a cancer when a more specific one that descends from it was also named.
    private func mostSpecificFirst(_ ids: [String]) -> [String] {
        ids.filter { id in !ids.contains { $0 != id && knowledge.isA($0, id) } }
    }

    // MARK: Intents and concerns

    private func intents(in words: Words, understood: Understanding) -> [QuestionIntent] {
        var intents = QuestionIntent.allCases.filter { intent in
            (QuestionVocabulary.intentPhrases[intent] ?? []).contains(where: words.contains)
        }
        // "Could my 9 yr old get Kymriah?", "would he be able to have it", "is it an option for
        // her": a modal with a person and a verb of receiving asks whether they could have it.
        if !intents.contains(.eligibility), Self.asksWhetherSomeoneCouldHave.firstMatch(in: words.normalized, range: NSRange(words.normalized.startIndex..., in: words.normalized)) != nil {
            intents.append(.eligibility)
        }
        let treatments = understood.productIDs.count + Set(understood.modalities).count
        if intents.contains(.comparison), treatments < 2, !words.contains("difference") {
            intents.removeAll { $0 == .comparison }
        }
        if intents.contains(.questionsToAsk) { intents.removeAll { $0 == .definition } }
        if !understood.safetyIDs.isEmpty, !intents.contains(.sideEffects), understood.glossaryIDs.isEmpty {
            intents.append(.sideEffects)
        }
        // The aspects asked about say what is asked even beside other intent words.
        for intent in Self.intents(forAspects: understood.aspects) where !intents.contains(intent) { intents.append(intent) }
        if intents.isEmpty { intents = defaultIntents(for: understood) }
        return intents
    }

    /// What a question about one aspect of a treatment asks for when no intent phrase says so
    /// ("what do they do with his cells?" asks how it works, not where it is approved).
    static func intents(forAspects aspects: [ProductFact.Aspect]) -> [QuestionIntent] {
        var intents: [QuestionIntent] = []
        for aspect in aspects {
            let intent: QuestionIntent? = switch aspect {
            case .mechanism, .target, .vector, .cellSource, .construct: .howItWorks
            case .administration, .monitoring, .setting: .logistics
            case .sideEffects, .boxedWarning, .classWarning, .rems: .sideEffects
            case .access: .cost
            case .pivotalTrial: nil
            }
            if let intent, !intents.contains(intent) { intents.append(intent) }
        }
        return intents
    }

    private func defaultIntents(for u: Understanding) -> [QuestionIntent] {
        if !u.glossaryIDs.isEmpty || !u.safetyIDs.isEmpty { return [.definition] }
        if !u.productIDs.isEmpty { return [.definition, .approval] }
        // "CAR-T for marginal zone lymphoma?": whether it is approved, not how it works.
        if !u.cancerIDs.isEmpty, !u.modalities.isEmpty { return [.approval] }
        if !u.cancerIDs.isEmpty { return [.standardTreatment, .approval] }
        if !u.modalities.isEmpty { return [.howItWorks] }
        return []
    }

    /// Signs of CRS, neurotoxicity, infection or bleeding happening now, or after a treatment
    /// that was given ("had yescarta 6 days ago … 39.4 fever").
    static func reportsEmergencySigns(_ words: Words, _ understood: Understanding) -> Bool {
        // "Temperature" with readings that are all normal ("is 36.9 °C normal?") is not a sign.
        let temperatureWords: Set<String> = ["temperature", "temp", "high temp"]
        let normal = BodyTemperature.onlyNormalReadings(in: words.text)
        let named = (QuestionVocabulary.urgentSymptoms + QuestionVocabulary.emergencySigns)
            .filter { !(normal && temperatureWords.contains($0)) }
        let signs = named.contains(where: words.contains) || BodyTemperature.feverReading(in: words.text)
        guard signs else { return false }
        if QuestionVocabulary.happeningNow.contains(where: words.contains) { return true }
        let treated = !understood.productIDs.isEmpty || !understood.modalities.isEmpty
        return treated && QuestionVocabulary.afterTreatment.contains(where: words.contains)
    }

    private func concern(in words: Words, understood: Understanding) -> Concern? {
        // An emergency comes before every other reading of the question.
        if Self.reportsEmergencySigns(words, understood) { return .urgentSymptoms }
        // Animals: OncoNav's knowledge is of human medicines and labels, whatever the disease.
        if QuestionVocabulary.animalWords.contains(where: words.contains) { return .outOfScope }
        // "How much tocilizumab should my husband get?": an amount of a medicine, not a price.
        if ["how much", "how often"].contains(where: words.contains),
           ["should", "give", "take", "get", "need"].contains(where: words.tokens.contains),
           !QuestionVocabulary.intentPhrases[.cost, default: []].contains(where: words.contains),
           !["weeks", "days", "months", "stay", "cells", "visits", "infusions", "lines"].contains(where: words.tokens.contains) {
            return .dosing
        }
        let harmless = QuestionVocabulary.harmlessShould.contains(where: words.contains)
        for (concern, phrases) in QuestionVocabulary.concernPhrases where phrases.contains(where: words.contains) {
            if concern == .personalDecision, harmless { continue }
            return concern
        }
        if words.tokens.contains(where: QuestionVocabulary.purchaseWords.contains),
           QuestionVocabulary.purchaseContext.contains(where: words.contains) {
            return .ruleEvasion
        }
        if understood.cancerIDs.isEmpty, understood.productIDs.isEmpty,
           QuestionVocabulary.outOfScopeTerms.contains(where: words.contains) {
            return .outOfScope
        }
        return nil
    }
}

/// A question split into words: as written (for the capitals rule) and normalised.
struct Words {
    /// The question as written (numbers keep their decimal point).
    let text: String
    let raw: [String]
    let tokens: [String]
    let normalized: String
    private let padded: String

    init(_ text: String) {
        self.text = text
        var raw: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber { current.append(character) } else if !current.isEmpty {
                raw.append(current)
                current = ""
            }
        }
        if !current.isEmpty { raw.append(current) }
        self.raw = raw
        self.tokens = raw.map(TextMatching.normalize)
        self.normalized = tokens.joined(separator: " ")
        self.padded = " " + normalized + " "
    }

    /// Whether the normalised phrase occurs as whole words.
    func contains(_ phrase: String) -> Bool { padded.contains(" " + phrase + " ") }
}
