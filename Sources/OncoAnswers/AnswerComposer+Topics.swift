import OncoKnowledge

/// Sections about a treatment family or term: what it is, how it works, how families
/// compare, who labels are written for, side effects, and the steps of treatment.
extension AnswerComposer {
    /// "What is CRS?": the glossary entry and the safety topic, if any.
    func define(topic: Topic, into draft: inout Draft) {
        let u = topic.understanding
        let hasSubject = !topic.products.isEmpty || topic.cancer != nil
        for entry in u.glossaryIDs.compactMap({ tables.glossary(id: $0) }) where !hasSubject || Self.asksMeaning(of: entry, in: topic.question) {
            let statement = "\(entry.term): \(entry.definition)"
            if draft.direct.isEmpty { draft.say(statement, citing: entry.sources) } else {
                draft.paragraph(.definition, "What the words mean", statement, citing: entry.sources)
            }
        }
        for safety in u.safetyIDs.compactMap({ tables.safety(id: $0) }) {
            if draft.direct.isEmpty { draft.say(safety.summary, citing: safety.sources) } else {
                draft.paragraph(.sideEffects, "Side effects and safety", "\(safety.title): \(safety.summary)", citing: safety.sources)
            }
            for point in safety.keyPoints { draft.bullet(.sideEffects, "Side effects and safety", point, citing: safety.sources) }
        }
    }

    /// Whether the question asks what a glossary term means ("what is lymphodepletion",
    /// "what does refractory mean") rather than using the word in passing.
    static func asksMeaning(of entry: GlossaryEntry, in question: String) -> Bool {
        let text = " " + TextMatching.normalize(question) + " "
        return ([entry.term] + entry.synonyms).map(TextMatching.normalize).filter { !$0.isEmpty }.contains { name in
            ["what is ", "what s ", "whats ", "what are ", "what does ", "what do ", "meaning of ", "define ", "explain "].contains {
                text.contains(" \($0)\(name) ") || text.contains(" \($0)a \(name) ") || text.contains(" \($0)the \(name) ")
            } || text.contains(" \(name) mean ") || text.contains(" \(name) means ")
        }
    }

    /// What each approach in question is and when it is the relevant conversation.
    func explainHowItWorks(topic: Topic, into draft: inout Draft) {
        let title = "How it works"
        for approach in rankedApproaches(topic).prefix(3) {
            let text = "\(approach.name): \(approach.summary)"
            if draft.direct.first?.text != approach.summary {
                draft.paragraph(.howItWorks, title, text, citing: approach.sources)
            }
            draft.paragraph(.howItWorks, title, "When it is discussed: \(approach.relevantWhen)", citing: approach.sources)
        }
        if topic.approaches.isEmpty {
            for product in topic.products.prefix(2) {
                draft.paragraph(.howItWorks, title, "\(product.brand): \(product.summary)", citing: product.sources)
            }
        }
    }

    /// The approaches in question, most relevant first: a general explainer named by the
    /// question stays first; then the furthest along for the cancer asked about.
    func rankedApproaches(_ topic: Topic) -> [Approach] {
        guard let cancer = topic.cancer else { return topic.approaches }
        var stages: [String: EvidenceStage] = [:]
        // A subtype's approval counts too ("bladder cancer" → the gene therapy for NMIBC).
        for id in [cancer.id] + knowledge.descendants(of: cancer.id).sorted() {
            for match in tables.approaches(forCancer: id) where match.stage > stages[match.approach.id] ?? .preclinical {
                stages[match.approach.id] = match.stage
            }
        }
        let explainers = topic.approaches.filter { $0.modality == .other }
        let ranked = topic.approaches.filter { $0.modality != .other }.enumerated().sorted { a, b in
            let stageA = stages[a.element.id] ?? .preclinical, stageB = stages[b.element.id] ?? .preclinical
            return stageA != stageB ? stageA > stageB : a.offset < b.offset
        }.map(\.element)
        return explainers + ranked
    }

    /// "CAR-T vs bispecifics for myeloma": each side's approval for the cancer, and its risks.
    func compare(topic: Topic, into draft: inout Draft) {
        let title = "Comparing the options"
        for product in topic.products.prefix(4) where topic.products.count > 1 {
            let active = product.indications.filter(\.isActive)
            var facts = ["\(Prose.family([product.modality]))"]
            if let target = product.target { facts.append("aimed at \(target)") }
            if let source = product.cellSource { facts.append("made from \(source == "autologous" ? "the person's own" : "donor") cells") }
            if !product.hlaRestriction.isEmpty { facts.append("only for certain HLA types") }
            let places = Prose.list(Prose.unique(active.map(\.region)).map(Prose.place))
            draft.bullet(.comparison, title, "\(product.brand) (\(product.generic)): \(facts.joined(separator: ", ")); approved in \(places).",
                         citing: product.sources)
            // How each is built, given and what its label warns of: what differs between them.
            let region = topic.regions.first
            for fact in product.facts(.construct) + product.facts(.administration, region: region) + product.facts(.sideEffects, region: region) {
                draft.bullet(.comparison, title, "\(product.brand): \(fact.text)", citing: fact.sources)
            }
        }
        // Two products of one family: whether anything compares them directly.
        let families = Set(topic.products.map(\.modality))
        if topic.products.count > 1, families.count == 1, families.contains(.carT), let faq = tables.faq(id: "faq-compare-car-t-products") {
            draft.paragraph(.comparison, title, faq.answer, citing: faq.sources)
        }
        for approach in topic.approaches.prefix(4) {
            var line = "\(approach.name): \(approach.relevantWhen)"
            if let cancer = topic.cancer,
               let match = tables.approaches(forCancer: cancer.id).first(where: { $0.approach.id == approach.id }) {
                line += " For \(cancer.name.lowercasedName): \(match.stage.displayName.lowercasedName)."
            }
            draft.bullet(.comparison, title, line, citing: approach.sources)
            if !approach.risks.isEmpty {
                draft.bullet(.comparison, title, "Main risks of \(approach.name.lowercasedName): \(Prose.list(approach.risks.map(\.lowercasedName))).",
                             citing: approach.sources)
            }
        }
        if draft.direct.isEmpty, topic.approaches.count >= 2 {
            draft.say("These are different kinds of treatment, each with its own approvals and risks; the comparison below is general information, and which fits a person is for their oncology team to discuss.")
        }
    }

    /// Who the labels are written for: structured criteria in plain words.
    func explainEligibility(topic: Topic, into draft: inout Draft) {
        let title = "Who the approved labels are written for"
        var indications: [(Product, LabelIndication)] = []
        for product in topic.products { indications += product.indications.filter(\.isActive).map { (product, $0) } }
        if topic.products.isEmpty, let cancer = topic.cancer {
            for product in knowledge.products where topic.modalities.contains(product.modality) {
                indications += product.indications.filter { $0.isActive && covers($0, cancer.id) }.map { (product, $0) }
            }
        }
        if !topic.regions.isEmpty { indications = indications.filter { topic.regions.contains($0.1.region) } }
        if indications.isEmpty, topic.understanding.intents.contains(.eligibility),
           QuestionVocabulary.priorTransplantPhrases.contains(where: Words(topic.question).contains) {
            indications = transplantRelatedIndications(topic: topic)
            if !indications.isEmpty {
                draft.say("Some approved labels mention a stem cell transplant in their conditions. Whether one fits depends on the exact diagnosis, the earlier treatments and the country; the labels below show how they put it.",
                          citing: Prose.unique(indications.flatMap(\.1.sources)))
            }
        }
        if indications.isEmpty, QuestionVocabulary.youngPeople.contains(where: Words(topic.question).contains) {
            indications = labelsOpenToYoungPeople(topic: topic)
            if !indications.isEmpty {
                draft.say("Some approved labels include children or young adults; most are for adults only. The labels below state an age range that reaches below 18.",
                          citing: Prose.unique(indications.flatMap(\.1.sources)))
            }
        }
        for (product, item) in indications.prefix(12) {
            let criteria = item.plainCriteria(in: knowledge)
            guard !criteria.isEmpty else { continue }
            draft.bullet(.eligibility, title, "\(product.brand), \(Prose.place(item.region)): \(criteria)",
                         citing: item.sources.isEmpty ? product.sources : item.sources)
        }
        if let faq = tables.faq(id: "faq-line-count") {
            draft.paragraph(.eligibility, title, faq.answer, citing: faq.sources)
        }
        if topic.products.contains(where: { !$0.hlaRestriction.isEmpty }), let faq = tables.faq(id: "faq-hla-test") {
            draft.paragraph(.eligibility, title, faq.answer, citing: faq.sources)
        }
    }

    /// Indications whose stated age range reaches below 18, for the modalities in question.
    private func labelsOpenToYoungPeople(topic: Topic) -> [(Product, LabelIndication)] {
        knowledge.products.filter { topic.modalities.contains($0.modality) }.flatMap { product in
            product.indications.filter { item in
                item.isActive && (item.ageMin.map { $0 < 18 } ?? (item.ageMax != nil))
                    && (topic.regions.isEmpty || topic.regions.contains(item.region))
            }.map { (product, $0) }
        }
    }

    /// Indications that name a transplant in their criteria, for the modalities in question.
    private func transplantRelatedIndications(topic: Topic) -> [(Product, LabelIndication)] {
        var found: [(Product, LabelIndication)] = []
        for product in knowledge.products where topic.modalities.contains(product.modality) {
            for item in product.indications where item.isActive {
                let text = ([item.summary] + item.additionalCriteria).joined(separator: " ").lowercased()
                if item.transplant != nil || text.contains("transplant") { found.append((product, item)) }
            }
        }
        return found
    }

    /// Risks of the approaches in question and the safety topics for their families.
    func describeSafety(topic: Topic, into draft: inout Draft) {
        let title = "Side effects and safety"
        for approach in topic.approaches.prefix(3) where !approach.risks.isEmpty {
            draft.paragraph(.sideEffects, title, "Known risks of \(approach.name.lowercasedName): \(Prose.list(approach.risks.map(\.lowercasedName))).",
                            citing: approach.sources)
        }
        let families = Set(topic.modalitiesNamed ? topic.modalities : [.carT])
        let named = Set(topic.understanding.safetyIDs)
        // The class topics that speak to the question's words; all of them only for a general
        // "what are the side effects" question. Region-specific rules only for the asker's region.
        let matching = passages.safetyTopics(matching: topic.question)
        let general = named.isEmpty && topic.products.isEmpty && topic.understanding.aspects.isEmpty
        let candidates = knowledge.safety.filter { safety in
            !named.contains(safety.id) && !families.isDisjoint(with: safety.modalities)
                && (topic.regions.isEmpty || safety.region == nil || topic.regions.contains(safety.region!))
        }
        let chosen = general ? candidates : Array(candidates.filter { matching.contains($0.id) }
            .sorted { (matching.firstIndex(of: $0.id) ?? 99) < (matching.firstIndex(of: $1.id) ?? 99) }.prefix(3))
        for safety in chosen {
            guard topic.understanding.safetyIDs.isEmpty || topic.understanding.intents.contains(.sideEffects) else { break }
            draft.bullet(.sideEffects, title, "\(safety.title): \(safety.summary)", citing: safety.sources)
        }
        if draft.direct.isEmpty, let faq = faqMatching(topic) {
            draft.say(faq.answer, citing: faq.sources)
        }
    }

    /// Staying near the centre and driving: the rules of the region asked about, both US and
    /// EU when none is named.
    func regionalRuleIDs(_ topic: Topic) -> [String] { SafetyTopic.stayAndDriveIDs(for: topic.regions.first) }

    /// "How long must I stay near the hospital in Italy?": that region's rules are the reply.
    func describeRegionalRules(topic: Topic, into draft: inout Draft) {
        let words = Words(topic.question)
        let driving = ["drive", "driving"].contains(where: words.contains)
        let staying = ["stay", "near", "close", "nearby"].contains(where: words.contains)
        for id in regionalRuleIDs(topic) where (driving && id.hasPrefix("driving")) || (staying && id.hasPrefix("stay")) {
            if let safety = tables.safety(id: id) { draft.say("\(safety.title): \(safety.summary)", citing: safety.sources) }
        }
    }

    /// The steps of treatment, how long they take, staying near the centre, and cost.
    func describeProcess(topic: Topic, into draft: inout Draft) {
        let u = topic.understanding
        let words = Words(topic.question)
        let regional = regionalRuleIDs(topic)
        // The journey steps are CAR-T's (collection, manufacturing, lymphodepletion): not for
        // a question about a product given another way.
        let carT = topic.products.isEmpty ? (!topic.modalitiesNamed || topic.modalities.contains(.carT)) : topic.products.contains { $0.modality == .carT }
        if u.intents.contains(.logistics), carT {
            // The whole journey when the process is asked about; the steps the question names
            // ("how long does manufacturing take?"); none when "how long" is about a side
            // effect or the question is about staying nearby or driving.
            let stayOrDrive = ["stay", "near", "close", "drive", "driving", "lodging"].contains(where: words.contains)
            let aboutSideEffect = !u.safetyIDs.isEmpty || u.intents.contains(.sideEffects)
            let processAsked = QuestionVocabulary.processPhrases.contains(where: words.contains)
            let asked = KnowledgeTables.distinctiveWords(topic.question)
            let named = knowledge.journey.filter { !KnowledgeTables.distinctiveWords($0.name).isDisjoint(with: asked) }
            let steps = processAsked && !aboutSideEffect ? knowledge.journey
                : !named.isEmpty ? named
                : (stayOrDrive || aboutSideEffect ? [] : knowledge.journey)
            for step in steps {
                draft.bullet(.process, "The steps and how long they take", "\(step.name) (\(step.typicalDuration)): \(step.summary)",
                             citing: step.sources)
            }
            if stayOrDrive {
                for id in regional {
                    if let safety = tables.safety(id: id) {
                        draft.paragraph(.process, "The steps and how long they take", safety.summary, citing: safety.sources)
                    }
                }
            }
        }
        if let faq = faqMatching(topic) {
            if draft.direct.isEmpty { draft.say(faq.answer, citing: faq.sources) } else {
                draft.paragraph(.process, "The steps and how long they take", faq.answer, citing: faq.sources)
            }
        }
        if draft.direct.isEmpty, u.intents.contains(.logistics) {
            // The most specific explainer first: driving, staying near, else the whole timeline.
            let driving = ["drive", "driving"].contains(where: words.contains)
            let ids = regional.filter { driving ? $0.hasPrefix("driving") : $0.hasPrefix("stay") }
            if ["stay", "near", "close", "drive", "driving", "lodging"].contains(where: words.contains) {
                for id in ids { if let safety = tables.safety(id: id) { draft.say(safety.summary, citing: safety.sources) } }
            } else if let faq = tables.faq(id: "faq-how-long") {
                draft.say(faq.answer, citing: faq.sources)
            }
        }
        // "How long …?" answered with the timeline when nothing said so far gives a duration.
        if words.contains("how long"), !draft.direct.contains(where: { $0.text.contains("week") || $0.text.contains("days") }),
           let faq = tables.faq(id: "faq-how-long") {
            draft.say(faq.answer, citing: faq.sources)
        }
        // The cost figures held are US ones: elsewhere, say so rather than give dollars.
        if u.intents.contains(.cost), let region = topic.regions.first, region != .us {
            draft.say("OncoNav's knowledge base holds cost figures for the US only, so it cannot give a price for \(Prose.place(region)). There, public funding and prices are decided product by product and indication by indication; the treating centre's finance or funding team, or your insurer, can say what applies and what travel and lodging support exists.")
        } else if u.intents.contains(.cost), let faq = tables.faq(id: "faq-cost-access") {
            if draft.direct.isEmpty { draft.say(faq.answer, citing: faq.sources) } else {
                draft.paragraph(.process, "Cost and who pays", faq.answer, citing: faq.sources)
            }
        }
    }
}
