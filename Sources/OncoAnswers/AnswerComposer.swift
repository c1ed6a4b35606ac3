import OncoKnowledge
import OncoMatch
import OncoRecords

/// Composes structured, cited answers from the knowledge base only.
///
/// Build one per knowledge base and reuse it: lookup tables are made at init, and
/// `answer(_:case:)` is a pure function of the question and the case.
///
/// ```swift
/// let composer = AnswerComposer(knowledge: kb, trials: TrialLookupFunction { cancer, modalities, region in
///     TrialSummary(count: index.count(cancer: cancer, modalities: modalities, region: region))
/// })
/// let answer = composer.answer("Is Kymriah approved in China?", case: caseContext)
/// ```
public struct AnswerComposer: Sendable {
    public let knowledge: KnowledgeBase
    public let analyzer: QuestionAnalyzer
    let trials: (any TrialLookup)?
    let tables: KnowledgeTables
    /// Reads the asker's own facts from the question, as records are read.
    let askerExtractor: ProfileExtractor
    /// Judges label rules: the same evaluator matching uses.
    let labelEvaluator: LabelEvaluator
    /// The day ages and label timing are judged on.
    let today: Day
    /// The knowledge base as BM25-indexed passages.
    let passages: PassageIndex

    /// The disclaimer every answer carries.
    public static let disclaimer = """
    OncoNav gives general information from its reviewed knowledge base, with sources. It is \
    not medical advice and cannot tell you what to do. Decisions about treatment belong to you \
    and your oncology team.
    """

    /// - Parameter trials: the server's trial index; without it, answers point to the trials page.
    public init(knowledge: KnowledgeBase, trials: (any TrialLookup)? = nil, today: Day = .today()) {
        self.knowledge = knowledge
        self.analyzer = QuestionAnalyzer(knowledge: knowledge)
        self.trials = trials
        self.tables = KnowledgeTables(knowledge)
        self.askerExtractor = ProfileExtractor(lexicon: ClinicalLexicon(knowledgeBase: knowledge))
        self.labelEvaluator = LabelEvaluator(knowledge: knowledge)
        self.today = today
        self.passages = PassageIndex(knowledge)
    }

    /// The answer to `question`, personalised when `caseContext` is given.
    public func answer(_ question: String, case caseContext: CaseContext? = nil) -> Answer {
        let understanding = analyzer.analyze(question)
        var draft = Draft()
        let kind: AnswerKind
        let informs: Set<Concern> = [.personalDecision, .urgentSymptoms]
        let scopeTopic = Topic(question: question, understanding: understanding, knowledge: knowledge, caseContext: nil)
        if understanding.concern == .outOfScope, !understanding.modalities.isEmpty, let faq = faqMatching(scopeTopic) {
            // "Is CAR-T approved for lupus?": a question about these treatments outside cancer
            // that the knowledge base answers (the answer says what is and is not approved).
            draft.say(faq.answer, citing: faq.sources)
            draft.bullet(.moreInformation, "Where to find more information",
                         "The specialist who treats the condition is the right person to ask about trials and other options.")
            kind = .answer
        } else if let concern = understanding.concern, !informs.contains(concern) {
            decline(concern, understanding: understanding, question: question, into: &draft)
            kind = .refusal
        } else {
            var topic = Topic(question: question, understanding: understanding, knowledge: knowledge, caseContext: caseContext)
            if understanding.concern == .urgentSymptoms { referUrgently(into: &draft) }
            if understanding.concern == .personalDecision { referDecision(into: &draft) }
            acknowledgeNames(&topic, into: &draft)
            let opening = draft.direct.count
            var personal = Draft()
            let check = caseContext == nil ? applyAskerFacts(topic, into: &personal) : nil
            topic.personalised = check != nil
            if check?.namedProductsMiss == true { topic.opensWithYesOrNo = false }
            adoptApprovedProducts(&topic)
            // A safety topic the question names ("donate plasma", "REMS") is the reply's first point.
            if understanding.concern == nil, !topic.products.isEmpty {
                for safety in understanding.safetyIDs.compactMap({ tables.safety(id: $0) })
                where safety.region == nil || topic.regions.isEmpty || topic.regions.contains(safety.region!) {
                    draft.say("\(safety.title): \(safety.summary)", citing: safety.sources)
                }
            }
            topic.aspectsAnswered = answerAspects(topic, into: &draft)
            let approvalAsked = !Set(understanding.intents).isDisjoint(with: [.approval, .eligibility])
            // "Is gene therapy the same as cell therapy?" asks about the families themselves,
            // even when a product is named too.
            let namesFamilies = Set(understanding.modalities).count >= 2
                && !Set(understanding.intents).isDisjoint(with: [.definition, .comparison])
            // Staying near the centre and driving are answered by the region's own rules, not by retrieval.
            let regionalRule = understanding.aspects.contains(.monitoring)
            if (!topic.aspectsAnswered || namesFamilies), !approvalAsked, !regionalRule, understanding.concern != .urgentSymptoms,
               Self.asksAboutTreatment(understanding) || namesFamilies {
                // The passages that speak to the question's own words lead the reply.
                let subjects = topic.products.map { Passage.Owner.product($0.id) } + topic.approaches.map { Passage.Owner.approach($0.id) }
                let risks = understanding.intents.contains(.sideEffects)
                var lead = Draft()
                // About the families: their explainers (and the FAQ), not one product's details.
                let explainers = (topic.approaches.filter { $0.modality == .other }.map(\.id) + ["cell-vs-gene-therapy"])
                    .filter { knowledge.approach(id: $0) != nil }.map { Passage.Owner.approach($0) }
                let familySubjects = Prose.unique(explainers + topic.approaches.filter { understanding.approachIDs.contains($0.id) }.map { Passage.Owner.approach($0.id) })
                for passage in passages.retrieve(question, understanding: understanding, knowledge: knowledge,
                                                 subjects: namesFamilies ? familySubjects : subjects, risks: risks,
                                                 regions: topic.regions) {
                    if !draft.contains(passage.statement.text) { lead.say(passage.statement.text, citing: passage.citations) }
                }
                draft.direct.insert(contentsOf: lead.direct, at: min(opening, draft.direct.count))
            }
            compose(&topic, into: &draft)
            // The person's own check follows the first general statement (what the label says),
            // so the reply reads: the fact, then what it means for them; when the product they
            // named does not fit what they wrote, that comes first.
            let at = check?.namedProductsMiss == true ? opening : opening + 1
            draft.direct.insert(contentsOf: personal.direct, at: min(draft.direct.count, at))
            for section in personal.orderedSections {
                for bullet in section.bullets { draft.bullet(section.kind, section.title, bullet.text, citing: bullet.citations) }
            }
            if let caseContext { personalise(caseContext, topic: topic, into: &draft) }
            if draft.direct.isEmpty, !draft.sections.isEmpty {
                draft.say("OncoNav's knowledge base does not answer this exactly. Here is the closest information it has; your oncology team can answer it for your situation.")
            }
            if draft.direct.isEmpty && draft.sections.isEmpty {
                noAnswer(into: &draft)
                kind = .noAnswer
            } else {
                kind = understanding.concern == nil ? .answer : .refusal
                whereToLearnMore(topic, into: &draft)
                suggestRelated(topic, into: &draft)
            }
        }
        var answer = Answer(
            question: question, understanding: understanding, kind: kind, directAnswer: draft.direct,
            sections: draft.orderedSections, citations: [], relatedQuestions: Array(draft.related.prefix(5)),
            disclaimer: Self.disclaimer, inviteToUpload: caseContext == nil
        )
        answer.citations = citations(for: answer)
        return answer
    }

    // MARK: Composition

    private func compose(_ topic: inout Topic, into draft: inout Draft) {
        let u = topic.understanding
        if u.intents.contains(.questionsToAsk) { listQuestionsToAsk(topic: topic, into: &draft) }
        if u.intents.contains(.outcomes) {
            draft.say("OncoNav's knowledge base does not hold survival or success figures for this, so it cannot give a number. Your oncology team can explain what the studies behind each approval showed and what that may mean for you.")
        }
        if u.concern == .urgentSymptoms {
            describeUrgentSafety(topic: topic, into: &draft)
            return
        }
        if u.aspects.contains(.monitoring), topic.products.isEmpty { describeRegionalRules(topic: topic, into: &draft) }
        let approvalAsked = !Set(u.intents).isDisjoint(with: [.approval, .eligibility]) || !topic.regions.isEmpty
        if !topic.products.isEmpty, topic.aspectsAnswered, !approvalAsked {
            for product in topic.products.prefix(3) { noteApprovals(of: product, into: &draft) }
        } else if !topic.products.isEmpty {
            for product in topic.products.prefix(3) { describe(product, topic: topic, into: &draft) }
        } else if let cancer = topic.cancer, !topic.modalitiesNamed, let opening = aboutCancer(cancer, topic: topic) {
            draft.say(opening.text, citing: opening.citations)
            // The approvals still matter, but as status rather than as the reply.
            var status = Draft()
            topic.opensWithYesOrNo = false
            describeApprovals(for: cancer, topic: &topic, into: &status)
            for statement in status.direct {
                draft.paragraph(.currentStatus, "Current status", statement.text, citing: statement.citations)
            }
            for section in status.orderedSections {
                for bullet in section.bullets { draft.bullet(section.kind, section.title, bullet.text, citing: bullet.citations) }
            }
        } else if let cancer = topic.cancer, approvalAsked || !Self.asksAboutTreatment(u) {
            describeApprovals(for: cancer, topic: &topic, into: &draft)
        } else if let cancer = topic.cancer {
            // "What do they do with his cells?" for a named cancer: how it works answers it;
            // where it stands for that cancer follows as status, not as the reply.
            describeApproaches(topic: topic, into: &draft)
            let approved = knowledge.products.filter { product in
                topic.modalities.contains(product.modality) && product.indications.contains { $0.isActive && covers($0, cancer.id) }
            }
            topic.hasApproval = !approved.isEmpty
            if !approved.isEmpty {
                let sources = Prose.unique(approved.flatMap { $0.indications.filter(\.isActive).flatMap(\.sources) })
                draft.paragraph(.currentStatus, "Current status",
                                "Approved \(topic.family) products for kinds of \(cancer.name.lowercasedName): \(Prose.list(approved.map(\.brand).sorted())). Which one can apply depends on the exact subtype, earlier treatments and country.",
                                citing: Array(sources.prefix(6)))
            }
        } else if let faq = faqMatching(topic) {
            draft.say(faq.answer, citing: faq.sources)
        } else if !topic.regions.isEmpty, topic.modalitiesNamed,
                  !Set(u.intents).isDisjoint(with: [.approval, .eligibility])
                      || (!Self.asksAboutTreatment(u) && u.safetyIDs.isEmpty && u.glossaryIDs.isEmpty) {
            // "Did the FDA get rid of the REMS?" names a regulator but asks about a safety rule.
            describeApprovals(in: topic.regions, topic: topic, into: &draft)
        } else if topic.products.isEmpty, topic.cancer == nil, !u.glossaryIDs.isEmpty || !u.safetyIDs.isEmpty,
                  !u.intents.contains(.howItWorks) {
            // "Did the FDA get rid of the REMS?": the term asked about is the reply.
            define(topic: topic, into: &draft)
        } else if !topic.approaches.isEmpty, !Set(u.intents).isDisjoint(with: [.howItWorks, .definition, .approval, .sideEffects]) {
            describeApproaches(topic: topic, into: &draft)
        }
        if u.intents.contains(.definition) || (draft.direct.isEmpty && (!u.glossaryIDs.isEmpty || !u.safetyIDs.isEmpty)) {
            define(topic: topic, into: &draft)
        }
        if u.intents.contains(.howItWorks) || u.intents.contains(.definition) {
            explainHowItWorks(topic: topic, into: &draft)
        }
        if u.intents.contains(.comparison) { compare(topic: topic, into: &draft) }
        if u.intents.contains(.eligibility) { explainEligibility(topic: topic, into: &draft) }
        if u.intents.contains(.sideEffects) { describeSafety(topic: topic, into: &draft) }
        if u.intents.contains(.logistics) || u.intents.contains(.cost) { describeProcess(topic: topic, into: &draft) }
        if u.concern == .urgentSymptoms { describeSafety(topic: topic, into: &draft) }
        if let cancer = topic.cancer { describeLandscape(cancer, topic: topic, into: &draft) }
        if u.intents.contains(.trials) || (topic.cancer != nil && !topic.hasApproval) { describeTrials(topic: topic, into: &draft) }
        answerFromFAQ(topic: topic, into: &draft)
    }

    /// "Japan has a virus treatment for brain tumours — what is it?": with no product named,
    /// a question about what a treatment is or how it works, for a cancer with one or two
    /// approved products of the family asked about (in the region named), is about them.
    func adoptApprovedProducts(_ topic: inout Topic) {
        let u = topic.understanding
        guard topic.products.isEmpty, u.unknownProductNames.isEmpty, let cancer = topic.cancer,
              !Set(u.intents).isDisjoint(with: [.definition, .howItWorks]) else { return }
        let approved = knowledge.products.filter { product in
            (!topic.modalitiesNamed || topic.modalities.contains(product.modality)) && product.indications.contains {
                $0.isActive && covers($0, cancer.id) && (topic.regions.isEmpty || topic.regions.contains($0.region))
            }
        }
        guard (1...2).contains(approved.count) else { return }
        topic.products = approved
    }

    /// Whether the question asks how a treatment works, is given or what it risks, rather
    /// than whether it is approved.
    static func asksAboutTreatment(_ u: Understanding) -> Bool {
        !Set(u.intents).isDisjoint(with: [.howItWorks, .definition, .sideEffects, .logistics, .cost])
    }

    /// The reply to a question about the cancer itself, with no treatment named: its
    /// standard treatment, or what it is.
    private func aboutCancer(_ cancer: CancerType, topic: Topic) -> Statement? {
        let u = topic.understanding
        if u.intents.contains(.standardTreatment), let (landscape, subject) = landscape(for: cancer) {
            return Statement("For \(subject.name.lowercasedName): \(landscape.standardOfCare)", citations: landscape.sources)
        }
        if u.intents.contains(.definition), !u.intents.contains(.approval) {
            guard let summary = cancer.summary else {
                return Statement("OncoNav's knowledge base has no general description of \(cancer.name.lowercasedName). Here is what it holds about cell and gene therapy for it; your oncology team or the patient guides below can tell you more.")
            }
            return Statement("\(cancer.name): \(summary)", citations: cancer.sources)
        }
        return nil
    }

    // MARK: Citations

    /// Every source cited by a statement, in order of first use, resolved from the knowledge base.
    private func citations(for answer: Answer) -> [Citation] {
        let statements = answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets }
        let ids = Prose.unique(statements.flatMap(\.citations))
        return ids.compactMap { id in
            knowledge.source(id: id).map {
                Citation(id: $0.id, title: $0.title, publisher: $0.publisher, url: $0.url, accessed: $0.accessed?.description)
            }
        }
    }
}

/// What the answer is about, resolved to knowledge-base items once.
struct Topic {
    var question: String
    var understanding: Understanding
    var products: [Product]
    var approaches: [Approach]
    /// The cancer asked about, or the case's diagnosis when the question names none.
    var cancer: CancerType?
    var regions: [Region]
    /// The treatment families in question: those named, else those of the products named,
    /// else every cell and gene therapy family.
    var modalities: [TherapyModality]
    var modalitiesNamed: Bool
    /// Set while composing: whether an approved indication was found for the cancer.
    var hasApproval = false
    /// Set while composing: a product name the knowledge base does not know was asked about.
    var unknownProductAsked = false
    /// Set while composing: the asker's own facts were judged against the labels.
    var personalised = false
    /// Set while composing: the asked aspects of the named products were answered from their profiles.
    var aspectsAnswered = false

    init(question: String, understanding u: Understanding, knowledge kb: KnowledgeBase, caseContext: CaseContext?) {
        self.question = question
        understanding = u
        opensWithYesOrNo = Words(question).tokens.first.map(QuestionVocabulary.yesNoOpeners.contains) ?? false
            || u.reportsClaim || TextMatching.tokens(question).count <= 4
        products = u.productIDs.compactMap { kb.product(id: $0) }
        regions = u.regions
        cancer = (u.cancerIDs.first ?? caseContext?.cancerID).flatMap { kb.cancer(id: $0) }
        var named = u.modalities
        for product in products where !named.contains(product.modality) { named.append(product.modality) }
        modalitiesNamed = !named.isEmpty
        modalities = named.isEmpty ? TherapyModality.allCases.filter { !$0.isComparator && $0 != .transplant } : named
        var approachIDs = u.approachIDs
        // A family named ("CAR-T") stands for its main explainer (the first approach of that
        // modality); its variants (off-the-shelf CAR-T, …) only when the question names them.
        for modality in u.modalities where modality != .other {
            if let approach = kb.approaches.first(where: { $0.modality == modality }), !approachIDs.contains(approach.id) {
                approachIDs.append(approach.id)
            }
        }
        // For a named product, the explainer of its family (the first approach of that modality).
        for product in products {
            if let approach = kb.approaches.first(where: { $0.modality == product.modality }), !approachIDs.contains(approach.id) {
                approachIDs.append(approach.id)
            }
        }
        approaches = approachIDs.compactMap { kb.approach(id: $0) }
        if approaches.count > 1, u.modalities.count > 1, Set(u.modalities) == Set(QuestionVocabulary.geneTherapies) {
            // "Gene therapy" on its own: the explainer of what gene therapy is comes first.
            if let explainer = kb.approach(id: "cell-vs-gene-therapy") { approaches.insert(explainer, at: 0) }
        }
    }

    var family: String { Prose.family(modalitiesNamed ? modalities : []) }

    /// "Yes. " to open a positive answer to a yes-or-no question, except after a referral
    /// or for a question about outcomes (where "yes" would read as a promise).
    var yes: String {
        !opensWithYesOrNo || understanding.concern != nil || understanding.intents.contains(.outcomes) ? "" : "Yes. "
    }

    /// False when approval statements are status notes rather than the reply, or when the
    /// question was not asked as yes or no ("What CAR-T is there for …").
    var opensWithYesOrNo = true
}

/// Id lookups the knowledge base does not index itself, built once.
struct KnowledgeTables: Sendable {
    private let glossaryByID: [String: GlossaryEntry]
    private let safetyByID: [String: SafetyTopic]
    private let faqByID: [String: FAQEntry]
    /// Each FAQ with the distinctive words of its question.
    let faqWords: [(entry: FAQEntry, words: Set<String>)]
    /// Every cancer's approaches with their evidence stage, worked out once.
    private let approachesByCancer: [String: [ApproachMatch]]
    /// Regions whose approvals the knowledge base follows in full (`Region.followedInFull`);
    /// elsewhere a missing label says nothing about approval.
    let trackedRegions: Set<Region>

    init(_ kb: KnowledgeBase) {
        glossaryByID = Dictionary(kb.glossary.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        safetyByID = Dictionary(kb.safety.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        faqByID = Dictionary(kb.faq.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        faqWords = kb.faq.map { ($0, Self.distinctiveWords($0.question)) }
        approachesByCancer = Dictionary(kb.cancers.map { ($0.id, kb.approaches(forCancer: $0.id)) }, uniquingKeysWith: { first, _ in first })
        trackedRegions = Region.followedInFull
    }

    func glossary(id: String) -> GlossaryEntry? { glossaryByID[id] }
    func safety(id: String) -> SafetyTopic? { safetyByID[id] }
    func faq(id: String) -> FAQEntry? { faqByID[id] }
    func approaches(forCancer id: String) -> [ApproachMatch] { approachesByCancer[id] ?? [] }

    static func distinctiveWords(_ text: String) -> Set<String> {
        Set(TextMatching.tokens(text).filter {
            !QuestionVocabulary.stopWords.contains($0) && !QuestionVocabulary.genericWords.contains($0)
        })
    }
}
