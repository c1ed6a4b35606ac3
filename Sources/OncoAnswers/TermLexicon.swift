import Foundation
import OncoKnowledge

/// What a phrase in a question can stand for.
enum TermMeaning: Hashable, Sendable {
    case cancer(String)
    case product(String)
    case approach(String, TherapyModality)
    case modalities([TherapyModality])
    case region(Region)
    case glossary(String)
    case safety(String)
}

/// Every name the analyzer recognises, built once: exact phrases by their normalised
/// words, and the longer written-out names that may also be matched with a misspelling.
struct TermLexicon: Sendable {
    struct FuzzyTerm: Sendable {
        var phrase: String
        var length: Int
        var meanings: [TermMeaning]
    }

    private(set) var exact: [String: [TermMeaning]] = [:]
    /// Fuzzy terms bucketed by word count, so a two-word phrase is compared only with
    /// two-word names.
    private(set) var fuzzy: [Int: [FuzzyTerm]] = [:]
    /// Names in scripts written without spaces (Chinese brand names), found as substrings.
    private(set) var unspaced: [(String, TermMeaning)] = []
    private(set) var longestPhrase = 1

    init(knowledge kb: KnowledgeBase) {
        var fuzzyMeanings: [String: [TermMeaning]] = [:]
        func add(_ term: String, _ meaning: TermMeaning, fuzzy allowFuzzy: Bool) {
            let phrase = TextMatching.normalize(term)
            guard !phrase.isEmpty else { return }
            if !phrase.unicodeScalars.allSatisfy(\.isASCII), !phrase.contains(" ") {
                unspaced.append((phrase, meaning))
            }
            if !(exact[phrase]?.contains(meaning) ?? false) { exact[phrase, default: []].append(meaning) }
            longestPhrase = max(longestPhrase, phrase.split(separator: " ").count)
            if allowFuzzy, !TextMatching.isAcronym(term), phrase.count >= 5 {
                if !(fuzzyMeanings[phrase]?.contains(meaning) ?? false) { fuzzyMeanings[phrase, default: []].append(meaning) }
            }
        }
        for cancer in kb.cancers where cancer.category != .any {
            for term in [cancer.name] + cancer.synonyms { add(term, .cancer(cancer.id), fuzzy: true) }
        }
        for product in kb.products {
            for term in [product.brand, product.generic, product.id] + product.synonyms {
                add(term, .product(product.id), fuzzy: true)
            }
        }
        for approach in kb.approaches {
            for term in [approach.name] + approach.synonyms {
                add(term, .approach(approach.id, approach.modality), fuzzy: true)
            }
        }
        for entry in kb.glossary {
            for term in Self.withParts(entry.term) + entry.synonyms { add(term, .glossary(entry.id), fuzzy: false) }
        }
        for topic in kb.safety {
            for term in Self.withParts(topic.title) + topic.synonyms { add(term, .safety(topic.id), fuzzy: false) }
        }
        for (term, modalities) in QuestionVocabulary.modalityTerms { add(term, .modalities(modalities), fuzzy: false) }
        for (term, region) in QuestionVocabulary.regionTerms { add(term, .region(region), fuzzy: false) }
        for (term, region) in PlaceNames.regions { add(term, .region(region), fuzzy: false) }
        for (phrase, meanings) in fuzzyMeanings {
            let words = phrase.split(separator: " ").count
            fuzzy[words, default: []].append(FuzzyTerm(phrase: phrase, length: phrase.count, meanings: meanings))
        }
        for key in fuzzy.keys { fuzzy[key]?.sort { $0.phrase < $1.phrase } }
    }

    /// "Apheresis (leukapheresis)" is also found as "apheresis" and as "leukapheresis".
    static func withParts(_ title: String) -> [String] {
        guard let open = title.firstIndex(of: "("), let close = title.lastIndex(of: ")"), open < close else { return [title] }
        let outside = title[..<open].trimmingCharacters(in: .whitespaces)
        let inside = title[title.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        // A short part in brackets ("(US)", "(EU)") qualifies the term rather than naming it.
        return [title, outside] + (inside.count >= 4 ? [inside] : [])
    }

    /// The closest fuzzy term to `phrase` within the edit budget for its length; nil when
    /// none, or when two different terms are equally close.
    func closest(to phrase: String, words: Int) -> FuzzyTerm? {
        let allowed = TextMatching.allowedEdits(forLength: phrase.count)
        guard allowed > 0, let bucket = fuzzy[words] else { return nil }
        var best: (term: FuzzyTerm, distance: Int)?
        var tied = false
        for term in bucket where abs(term.length - phrase.count) <= allowed {
            let limit = min(allowed, TextMatching.allowedEdits(forLength: term.length))
            guard limit > 0 else { continue }
            var distance = TextMatching.editDistance(phrase, term.phrase, limit: limit)
            if distance > limit, words == 1, isProductName(term) {
                // Brand names written from hearing ("Carvicty" for Carvykti): compare by sound.
                distance = TextMatching.editDistance(SpellingKey.of(phrase), SpellingKey.of(term.phrase), limit: 1)
            }
            guard distance <= limit, !changesFunctionWord(phrase, term.phrase) else { continue }
            if let current = best {
                if distance < current.distance { best = (term, distance); tied = false }
                else if distance == current.distance, current.term.meanings != term.meanings { tied = true }
            } else {
                best = (term, distance)
            }
        }
        return tied ? nil : best?.term
    }

    /// "his lymphoma" is not a misspelling of "cns lymphoma", nor "B-cell ALL" of "T-cell
    /// ALL": a correction never turns an ordinary English function word (pronoun, article,
    /// preposition), a one- or two-letter word (a lineage or type letter: B, T, NK) or a
    /// word with digits (CD19, 1q21) into a different word of the term.
    private func changesFunctionWord(_ phrase: String, _ term: String) -> Bool {
        let written = phrase.split(separator: " "), known = term.split(separator: " ")
        guard written.count == known.count, written.count > 1 else { return false }
        return zip(written, known).contains { w, k in
            w != k && (Self.functionWords.contains(String(w)) || w.count <= 2 || w.contains(where: \.isNumber))
        }
    }

    static let functionWords: Set<String> = QuestionVocabulary.stopWords.union([
        "his", "her", "hers", "him", "she", "he", "we", "our", "us", "you", "your", "their", "they", "them", "its",
        "mum", "mom", "dad", "has", "had", "have", "was", "were", "not", "but", "so", "if", "all", "one", "two",
    ])

    private func isProductName(_ term: FuzzyTerm) -> Bool {
        term.meanings.contains { if case .product = $0 { true } else { false } }
    }
}
