import OncoKnowledge

/// Sections about one cancer: where cell and gene therapy stands, research, standard
/// treatment, questions to ask, trials, and where to read more.
extension AnswerComposer {
    /// The landscape for the cancer, its nearest ancestor with one, or else its only
    /// subtype with one ("lung cancer" → non-small cell lung cancer), with that subtype.
    func landscape(for cancer: CancerType) -> (CancerLandscape, CancerType)? {
        if let own = knowledge.landscape(forCancer: cancer.id) {
            return (own, knowledge.cancer(id: own.cancer) ?? cancer)
        }
        let below = knowledge.landscapes.filter { knowledge.isA($0.cancer, cancer.id) }
        guard below.count == 1, let only = below.first, let subtype = knowledge.cancer(id: only.cancer) else { return nil }
        return (only, subtype)
    }

    func describeLandscape(_ cancer: CancerType, topic: Topic, into draft: inout Draft) {
        guard let (landscape, subject) = landscape(for: cancer) else { return }
        let name = subject.name.lowercasedName
        let about = subject.id == cancer.id ? "" : " (OncoNav's overview is written for \(name), which includes \(cancer.name.lowercasedName))"
        let approvedHere = knowledge.products.contains { product in
            product.indications.contains { $0.isActive && covers($0, cancer.id) }
        }
        let solidWithoutApproval = cancer.category == .solid && !approvedHere
        let title = solidWithoutApproval ? "Why \(name) is different" : "Where CAR-T stands for \(name)"
        draft.paragraph(.whyDifferent, title, landscape.carTRole + about, citing: landscape.sources)
        draft.paragraph(.research, "What research is exploring", landscape.research, citing: landscape.sources)
        let u = topic.understanding
        if u.intents.contains(.standardTreatment) || u.intents.contains(.approval) || topic.products.isEmpty {
            draft.paragraph(.standardTreatment, "Standard treatments for \(name)", landscape.standardOfCare, citing: landscape.sources)
        }
        for question in landscape.questionsToAsk {
            draft.bullet(.questionsToAsk, "Questions to ask your oncology team", question)
        }
    }

    func describeTrials(topic: Topic, into draft: inout Draft) {
        let title = "Clinical trials"
        let about = topic.cancer.map { " for \($0.name.lowercasedName)" } ?? ""
        guard let trials else {
            let text = "You can search recruiting clinical trials\(about) on OncoNav's trials page, and ask your oncology team whether one could fit."
            draft.paragraph(.trials, title, text)
            // Asked about trials: the pointer is the reply, before any approval status.
            if topic.understanding.intents.contains(.trials) { draft.direct.insert(Statement(text), at: 0) }
            return
        }
        let summary = trials.trials(cancerID: topic.cancer?.id, modalities: topic.modalitiesNamed ? topic.modalities : [], region: topic.regions.first)
        if summary.count == 0 {
            draft.paragraph(.trials, title, "OncoNav's trial index has no recruiting trial of \(topic.family)\(about) at the moment. The trials page lets you search more widely.")
        } else {
            if topic.understanding.intents.contains(.trials) {
                draft.direct.insert(Statement("OncoNav's trial index lists \(summary.count) recruiting trial\(summary.count == 1 ? "" : "s") of \(topic.family)\(about)."), at: 0)
            }
            draft.paragraph(.trials, title, "OncoNav's trial index lists \(summary.count) recruiting trial\(summary.count == 1 ? "" : "s") of \(topic.family)\(about). The trials page shows them with their eligibility criteria.")
            for example in summary.examples.prefix(5) {
                draft.bullet(.trials, title, "\(example.nctID): \(example.title)")
            }
        }
    }

    /// "What should I ask my team?": the cancer's questions, or those of every landscape.
    func listQuestionsToAsk(topic: Topic, into draft: inout Draft) {
        let questions: [String]
        if let cancer = topic.cancer, let (landscape, _) = landscape(for: cancer) {
            questions = landscape.questionsToAsk
        } else {
            questions = Array(Prose.unique(knowledge.landscapes.flatMap(\.questionsToAsk)).prefix(10))
        }
        guard !questions.isEmpty else { return }
        draft.say("Here are questions people often take to their oncology team. Writing down the answers, or bringing someone with you, can help.")
        for question in questions { draft.bullet(.questionsToAsk, "Questions to ask your oncology team", question) }
    }

    /// The knowledge-base FAQ whose question shares at least half of its distinctive
    /// words (and at least two, or its only one) with the question asked.
    func faqMatching(_ topic: Topic) -> FAQEntry? {
        let asked = KnowledgeTables.distinctiveWords(topic.question)
        var best: (entry: FAQEntry, score: Double)?
        // An answer written for one region's labels never answers for another region.
        for (entry, words) in tables.faqWords where !words.isEmpty && (entry.region == nil || topic.regions.isEmpty || topic.regions.contains(entry.region!)) {
            let shared = words.intersection(asked).count
            guard shared >= min(2, words.count) else { continue }
            let score = Double(shared) / Double(words.count)
            if score >= 0.5, score > best?.score ?? 0 { best = (entry, score) }
        }
        return best?.entry
    }

    /// When nothing else answered, an FAQ that matches well.
    func answerFromFAQ(topic: Topic, into draft: inout Draft) {
        guard draft.direct.isEmpty, let faq = faqMatching(topic) else { return }
        draft.say(faq.answer, citing: faq.sources)
    }

    /// Patient-information sources for the cancer (NCI, NCCN), and the trials page.
    func whereToLearnMore(_ topic: Topic, into draft: inout Draft) {
        let title = "Where to find more information"
        var ids: [SourceID] = []
        if let cancer = topic.cancer {
            ids += cancer.sources
            if let (landscape, _) = landscape(for: cancer) { ids += landscape.sources }
            for ancestor in knowledge.ancestors(of: cancer.id).sorted() { ids += knowledge.cancer(id: ancestor)?.sources ?? [] }
        }
        ids.append("nccn-patients-library")
        for id in Prose.unique(ids) {
            guard let source = knowledge.source(id: id), Self.patientPublishers.contains(where: source.publisher.contains),
                  source.url.contains("/types/") || source.url.contains("patient") else { continue }
            draft.bullet(.moreInformation, title, "\(source.publisher): \(source.title)", citing: [source.id])
        }
        draft.bullet(.moreInformation, title, "Your oncology team, who know your whole history, are the right people to ask about your own options.")
    }

    static let patientPublishers = ["National Cancer Institute", "National Comprehensive Cancer Network"]

    /// Follow-on questions OncoNav can answer from the knowledge base, drawn from what this
    /// question is about and what it has not yet asked: the named products' other aspects
    /// (only those the profile holds), the cancer's trials and standard treatment, the
    /// person's own check, and after a safety question the monitoring rules.
    func suggestRelated(_ topic: Topic, into draft: inout Draft) {
        let u = topic.understanding
        let family = topic.modalitiesNamed ? Prose.family(topic.modalities) : "CAR-T"
        let asked = Set(u.aspects)
        let intents = Set(u.intents)
        for product in topic.products.prefix(2) {
            let offers: [(ProductFact.Aspect, Bool, String)] = [
                (.administration, !asked.contains(.administration), "How is \(product.brand) given?"),
                (.sideEffects, !intents.contains(.sideEffects), "What are the side effects of \(product.brand)?"),
                (.mechanism, !intents.contains(.howItWorks) && !asked.contains(.mechanism), "How does \(product.brand) work?"),
                (.pivotalTrial, !asked.contains(.pivotalTrial), "What did the trial behind \(product.brand) show?"),
            ]
            for (aspect, fresh, question) in offers where fresh && !product.facts(aspect).isEmpty { draft.suggest(question) }
            if !intents.contains(.approval) { draft.suggest("Where is \(product.brand) approved?") }
        }
        if let cancer = topic.cancer {
            let name = cancer.name.lowercasedName
            if !intents.contains(.trials) { draft.suggest("Are there clinical trials of cell or gene therapy for \(name)?") }
            if !intents.contains(.approval) && topic.products.isEmpty { draft.suggest("Is \(family) approved for \(name)?") }
            if !intents.contains(.standardTreatment) { draft.suggest("What is the standard treatment for \(name)?") }
            if topic.personalised || intents.contains(.eligibility) { draft.suggest("What questions should I ask my team about \(name)?") }
        }
        if u.concern == .urgentSymptoms || intents.contains(.sideEffects) {
            if !u.safetyIDs.contains("crs") { draft.suggest("What is CRS?") }
            if !u.safetyIDs.contains("icans") { draft.suggest("What is ICANS?") }
            if !asked.contains(.monitoring) { draft.suggest("How long do I need to stay near the treatment centre after CAR-T?") }
        }
        if topic.products.isEmpty, topic.cancer == nil {
            if !intents.contains(.sideEffects) { draft.suggest("What are the side effects of \(family)?") }
            if !intents.contains(.logistics) { draft.suggest("How long does the whole CAR-T process take?") }
            draft.suggest("What is the difference between cell therapy, gene therapy and CAR-T?")
        }
        draft.related.removeAll { TextMatching.normalize($0) == TextMatching.normalize(topic.question) }
    }
}
