import Foundation
import OncoKnowledge

/// Finds words a question uses as the name of a treatment product that the knowledge base
/// does not know ("Has Zelantrix been approved?", "a CAR-T called Pancrevia-cel"), so the
/// answer can say it has no record of it instead of answering about something else.
///
/// A word counts as a product name by its position, not by a list of invented names:
/// it carries an international non-proprietary name stem for cell and gene therapies
/// (USAN/INN: `-cel`, `-leucel`, `-gene`, `-vec`, `-repvec`), or it is a capitalised word
/// that stands where a product's name stands — right before a therapy noun ("Gliovex gene
/// therapy"), after "called" or "named", or as the subject of "approved" / "available"
/// ("Is Zelantrix approved …"). Words the knowledge base knows in any role (cancers,
/// products, drugs, regimens, approaches, places) never count.
struct ProductNameFinder: Sendable {
    /// Every normalised word the knowledge base uses as a name.
    private let known: Set<String>

    init(knowledge kb: KnowledgeBase, lexicon: TermLexicon) {
        var words: Set<String> = []
        func add(_ text: String) { for token in TextMatching.tokens(text) { words.insert(token) } }
        for phrase in lexicon.exact.keys { add(phrase) }
        for drug in kb.drugs { add(drug.generic); drug.brands.forEach(add); drug.synonyms.forEach(add) }
        for regimen in kb.regimens { add(regimen.acronym); regimen.name.map(add); regimen.synonyms.forEach(add) }
        for drugClass in kb.drugClasses { add(drugClass.name); drugClass.synonyms.forEach(add) }
        for biomarker in kb.biomarkers { add(biomarker.name); biomarker.synonyms.forEach(add) }
        for (place, _) in PlaceNames.regions { add(place) }
        known = words
    }

    /// USAN / INN stems of cell and gene therapy names.
    static let nameStems = ["leucel", "cel", "gene", "vec", "repvec", "parvovec"]
    /// Nouns a product name stands before ("Gliovex gene therapy", "Zelantrix injection").
    static let therapyNouns: Set<String> = ["gene", "cell", "car", "cart", "therapy", "vaccine", "virus", "injection",
                                            "infusion", "drug", "medicine", "treatment", "tcr", "til", "pill"]
    static let namingWords: Set<String> = ["called", "named", "brand", "product"]
    static let availabilityWords: Set<String> = ["approved", "available", "licensed", "authorised", "authorized",
                                                 "cleared", "launched", "approval"]
    /// Words before a place or a person rather than a product.
    static let placeWords: Set<String> = ["in", "at", "near", "from", "to", "dr", "doctor", "professor", "mr", "mrs", "ms"]

    /// The product-like names in `question` that the knowledge base does not know, as written.
    func unknownNames(in question: String, understanding: Understanding) -> [String] {
        let raw = Self.words(question)
        let lower = raw.map { TextMatching.normalize($0.text) }
        let corrected = Set(understanding.corrections.flatMap { TextMatching.tokens($0.written) })
        var found: [String] = []
        for (i, word) in raw.enumerated() {
            let token = lower[i]
            guard token.count >= 5, !known.contains(token), !corrected.contains(token),
                  !QuestionVocabulary.commonWords.contains(token), !QuestionVocabulary.stopWords.contains(token) else { continue }
            if i > 0, Self.placeWords.contains(lower[i - 1]) { continue }
            // An unhyphenated INN with a cell or gene therapy stem ("cretostimogene").
            if word.stem == nil, token.count >= 10, Self.nameStems.contains(where: { token.hasSuffix($0) && token != $0 }) {
                found.append(word.text)
                continue
            }
            let stem = word.stem.map(TextMatching.normalize)
            if let stem, Self.nameStems.contains(stem), !known.contains(token + " " + stem) {
                found.append(word.text + "-" + (word.stem ?? ""))
                continue
            }
            guard word.text.first?.isUppercase == true, word.text.dropFirst().allSatisfy({ $0.isLowercase }) else { continue }
            let next = lower.dropFirst(i + 1).prefix(2)
            let before = i > 0 ? lower[i - 1] : ""
            let beforeNoun = next.first.map(Self.therapyNouns.contains) ?? false
            let named = Self.namingWords.contains(before)
            let subjectOfApproval = ["is", "has", "was", "did", "does", "have", "got"].contains(before)
                && lower.dropFirst(i + 1).prefix(4).contains(where: Self.availabilityWords.contains)
            let approvedNext = next.contains(where: Self.availabilityWords.contains) || (next.first == "been")
            if beforeNoun || named || subjectOfApproval || approvedNext {
                found.append(word.text)
            }
        }
        return Prose.unique(found)
    }

    /// Words as written, with a hyphenated INN stem kept with its word ("Pancrevia-cel").
    private static func words(_ text: String) -> [(text: String, stem: String?)] {
        var result: [(String, String?)] = []
        let pieces = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
        for piece in pieces {
            let parts = piece.split(separator: "-").map(String.init)
            guard let first = parts.first else { continue }
            if parts.count == 2, nameStems.contains(parts[1].lowercased()) {
                result.append((first, parts[1]))
            } else {
                for part in parts where !part.isEmpty { result.append((part, nil)) }
            }
        }
        return result
    }
}

/// A spelling key that makes "Carvicty" and "Carvykti", "Breyanzy" and "Breyanzi" agree:
/// letters that sound alike in brand names written from hearing are folded (y/i, k/c/q,
/// ph/f, z/s, x/ks) and doubled letters collapsed, as phonetic keys such as Soundex and
/// Metaphone do.
enum SpellingKey {
    static func of(_ phrase: String) -> String {
        var text = phrase.lowercased()
        for (from, to) in [("ph", "f"), ("ck", "c"), ("x", "cs"), ("k", "c"), ("q", "c"), ("y", "i"), ("z", "s")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var out = ""
        for character in text where out.last != character { out.append(character) }
        return out
    }
}
