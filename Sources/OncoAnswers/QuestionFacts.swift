import Foundation
import OncoKnowledge
import OncoRecords

/// The facts a person states about themselves in a question, in the forms questions use
/// rather than records ("He's 22", "I'm 35", "my 9 yr old", "my sister (30)"), added to what
/// the records extractor reads, each quoted from the question like any other fact.
enum QuestionFacts {
    /// An age stated the way people write it about themselves or a relative: after "I'm /
    /// he's / she's / aged", before "years old / yr old / yo", or in brackets after a relative.
    static let agePatterns: [NSRegularExpression] = [
        #"\b(?:i\s*'?\s*m|i am|he\s*'?\s*s|she\s*'?\s*s|he is|she is|they\s*'?\s*re|aged?|who is|who's)\s+(?:now\s+|only\s+|just\s+)?(\d{1,3})\b(?!\s*(?:%|mg|kg|cm|days?|weeks?|months?|lines?|times?|cycles?|treatments?|x\b|th\b|st\b|nd\b|rd\b))"#,
        #"\b(\d{1,3})\s*[- ]?\s*(?:years?|yrs?|yr|y/o|yo)\b(?:[- ]old)?"#,
        #"\b(?:son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|friend|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather)\s*\((\d{1,3})\)"#,
        // "My dad in Shanghai is 66", "my wife, who lives in Lyon, is 58".
        #"\bmy\s+(?:son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather)\b[^.?!;]{0,40}?\b(?:is|was)\s+(?:now\s+|only\s+|just\s+)?(\d{1,3})\b(?!\s*(?:%|mg|kg|cm|days?|weeks?|months?|lines?|times?|cycles?|treatments?|x\b|th\b|st\b|nd\b|rd\b))"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    static func facts(in question: String, understanding: Understanding, knowledge: KnowledgeBase,
                      extracted: [ProfileFact]) -> [ProfileFact] {
        var added: [ProfileFact] = []
        let provenance = { (range: Range<String.Index>) in
            Provenance(source: .document(documentID: "question", span: TextSpan(range, in: question)), method: .textRules)
        }
        if !extracted.contains(where: { $0.field == .age }) {
            let whole = NSRange(question.startIndex..., in: question)
            for pattern in agePatterns {
                guard let match = pattern.firstMatch(in: question, range: whole),
                      let range = Range(match.range(at: 1), in: question), let years = Int(question[range]),
                      (0...110).contains(years), let quoted = Range(match.range, in: question) else { continue }
                added.append(.age(Fact(value: Years(years), provenance: provenance(quoted), confidence: 0.8)))
                break
            }
        }
        if !extracted.contains(where: { $0.field == .primaryCancer }), let id = understanding.cancerIDs.first,
           let cancer = knowledge.cancer(id: id) {
            let names = [cancer.name] + cancer.synonyms
            let range = names.lazy.compactMap { question.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) }.first
                ?? question.startIndex..<question.endIndex
            let diagnosis = Diagnosis(cancer: CodedText(conceptID: cancer.id, text: cancer.name))
            added.append(.primaryCancer(Fact(value: diagnosis, provenance: provenance(range), confidence: 0.8)))
        }
        return added
    }
}
