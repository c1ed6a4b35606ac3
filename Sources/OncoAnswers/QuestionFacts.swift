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
        // "45 years old", "my 9 yr old", "a 45-year-old", "67 y/o" - not "2 years after R-CHOP".
        #"\b(\d{1,3})\s*[- ]?\s*(?:(?:years?|yrs?|yr)[- ]?old|y/o|yo)\b"#,
        #"\b(?:son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|friend|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather)\s*\((\d{1,3})\)"#,
        // "My dad in Shanghai is 66", "my wife, who lives in Lyon, is 58".
        // "My father, 71, has …", "my wife (aged 58)".
        #"\b(?:son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather)\s*,\s*(?:aged\s+)?(\d{1,3})\s*,"#,
        // A question that opens with the asker's age, as forums write it: "52, metastatic melanoma", "34F, …".
        #"^\s*(\d{1,3})\s*(?:[mf]|male|female|yo|y/o)?\s*[,;:]"#,
        #"\bmy\s+(?:son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather)\b[^.?!;]{0,40}?\b(?:is|was)\s+(?:now\s+|only\s+|just\s+)?(\d{1,3})\b(?!\s*(?:%|mg|kg|cm|days?|weeks?|months?|lines?|times?|cycles?|treatments?|x\b|th\b|st\b|nd\b|rd\b))"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// Family words that name the person a question is about.
    static let relatives = try! NSRegularExpression(
        pattern: #"\bmy\s+(son|daughter|sister|brother|mother|mom|mum|father|dad|husband|wife|partner|uncle|aunt|cousin|child|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|baby|boy|girl|kid)\b"#,
        options: [.caseInsensitive])
    /// The asker speaking of their own illness or treatment ("I have", "I've had", "my own").
    static let ownIllness = try! NSRegularExpression(
        pattern: #"\b(i\s+have|i\s*'?\s*ve\s+(?:had|got)|i\s+had|i\s+was\s+diagnosed|i\s*'?\s*m\s+(?:being\s+)?treated|my\s+own)\b"#,
        options: [.caseInsensitive])

    /// The question as a record of the person it is about. When it is about a relative ("My
    /// father, 71, has mantle cell lymphoma …"), that relative is the patient, so the family
    /// word is blanked (same length, so quoted spans stay in place) and the records reader does
    /// not take the facts for family history. A relative mentioned after the asker's own
    /// illness stays family history.
    static func asPatientText(_ question: String) -> String {
        let whole = NSRange(question.startIndex..., in: question)
        guard let first = relatives.firstMatch(in: question, range: whole) else { return question }
        if let own = ownIllness.firstMatch(in: question, range: whole), own.range.location < first.range.location { return question }
        let text = NSMutableString(string: question)
        let word = (question as NSString).substring(with: first.range(at: 1)).lowercased()
        for match in relatives.matches(in: question, range: whole).reversed() {
            let noun = match.range(at: 1)
            guard (question as NSString).substring(with: noun).lowercased() == word else { continue }
            text.replaceCharacters(in: noun, with: String(repeating: " ", count: noun.length))
        }
        return text as String
    }

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
