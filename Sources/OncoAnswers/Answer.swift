import OncoKnowledge

/// A structured, cited answer to one question, composed only from the knowledge base.
///
/// Every statement carries the ids of the sources it rests on; `citations` resolves those
/// ids to titles, publishers, addresses and the day an editor last checked them.
public struct Answer: Codable, Sendable, Hashable {
    public var question: String
    public var understanding: Understanding
    public var kind: AnswerKind
    /// The short reply that comes first ("No CAR-T therapy is approved for lung cancer …").
    public var directAnswer: [Statement]
    public var sections: [AnswerSection]
    public var citations: [Citation]
    /// Questions OncoNav can answer that follow on from this one.
    public var relatedQuestions: [String]
    public var disclaimer: String
    /// True when no case was given: the page invites the visitor to upload records.
    public var inviteToUpload: Bool
}

/// Whether the question was answered, declined, or not covered by the knowledge base.
public enum AnswerKind: String, Codable, Sendable, Hashable {
    case answer
    /// Declined: dosing, stopping or starting treatment, personal choices, other diseases,
    /// getting around rules. The reply refers the person to their care team.
    case refusal
    /// The knowledge base holds nothing that answers the question.
    case noAnswer
}

/// One sentence or short paragraph with the sources it rests on. Connecting prose that
/// states no medical fact (a referral, a pointer to a page) has no citations.
public struct Statement: Codable, Sendable, Hashable {
    public var text: String
    public var citations: [SourceID]

    public init(_ text: String, citations: [SourceID] = []) {
        self.text = text
        self.citations = citations
    }
}

/// A titled block of the answer: paragraphs first, then bullets.
public struct AnswerSection: Codable, Sendable, Hashable {
    public var kind: SectionKind
    public var title: String
    public var paragraphs: [Statement]
    public var bullets: [Statement]

    public init(kind: SectionKind, title: String, paragraphs: [Statement] = [], bullets: [Statement] = []) {
        self.kind = kind
        self.title = title
        self.paragraphs = paragraphs
        self.bullets = bullets
    }

    var isEmpty: Bool { paragraphs.isEmpty && bullets.isEmpty }
}

/// The sections an answer may have, in the order they are shown.
public enum SectionKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case yourCase = "your-case"
    case currentStatus = "current-status"
    case definition
    case howItWorks = "how-it-works"
    case comparison
    case eligibility
    case sideEffects = "side-effects"
    case process
    case whyDifferent = "why-different"
    case research
    case trials
    case standardTreatment = "standard-treatment"
    case questionsToAsk = "questions-to-ask"
    case moreInformation = "more-information"

    public static func < (lhs: SectionKind, rhs: SectionKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A source as the answer cites it.
public struct Citation: Codable, Sendable, Hashable {
    public var id: SourceID
    public var title: String
    public var publisher: String
    public var url: String
    /// The day an editor last opened the source (`YYYY-MM-DD`), if recorded.
    public var accessed: String?
}
