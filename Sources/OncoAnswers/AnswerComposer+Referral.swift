import OncoKnowledge

/// Declining courteously, referring to the care team, and saying plainly when the
/// knowledge base has no answer.
extension AnswerComposer {
    func decline(_ concern: Concern, understanding: Understanding, question: String = "", into draft: inout Draft) {
        switch concern {
        case .dosing:
            draft.say("OncoNav cannot give doses or say how much of any medicine to take. The amount is set by your care team for you alone, so please talk to your oncology team (your oncologist, nurse or pharmacist).")
        case .changeTreatment:
            draft.say("OncoNav cannot tell anyone to stop, start, skip or change a treatment. Please talk to your oncology team before making any change; if you feel unwell or have side effects, contact them straight away.")
        case .ruleEvasion:
            draft.say("OncoNav cannot help with getting around eligibility rules, waiting lists or prescriptions. These rules are there to keep people safe. Your oncology team or the treating centre can explain the proper routes, including clinical trials and second opinions.")
        case .interpretation:
            draft.say("OncoNav cannot read or judge your own results, scans or reports; what they mean for you is for your oncology team to explain, so please ask them, and bring the report to your next appointment. If you upload your records to OncoNav, the values are organised with their dates and sources so you and your navigator can go through them with the team.")
        case .outOfScope where QuestionVocabulary.animalWords.contains(where: Words(question).contains):
            draft.say("OncoNav covers cell and gene therapies for people with cancer, and its labels and approvals are for human medicines only, so it cannot say what is available for an animal. A veterinary oncologist can explain the options for your pet.")
        case .outOfScope:
            draft.say("OncoNav only covers cancer and its cell and gene therapies, so it cannot answer this question. Please ask your doctor, who can point you to the right specialist.")
        case .personalDecision:
            referDecision(into: &draft)
        case .urgentSymptoms:
            referUrgently(into: &draft)
        }
        if concern == .dosing || concern == .changeTreatment { keepSafetyFacts(understanding, into: &draft) }
        // A change asked about for the wait while cells are made: what bridging treatment is.
        if concern == .changeTreatment, QuestionVocabulary.manufacturingWait.contains(where: Words(question).contains),
           let entry = tables.glossary(id: "term-bridging-therapy") {
            draft.bullet(.sideEffects, "What is safety-critical to know", "\(entry.term): \(entry.definition)", citing: entry.sources)
        }
        draft.suggest("What questions should I ask my oncology team about CAR-T?")
        draft.suggest("What is the difference between cell therapy, gene therapy and CAR-T?")
    }

    /// A refusal about a dose or a change of treatment still carries what is safety-critical
    /// about the treatment in question: its boxed warnings and monitoring rules, and which
    /// signs mean calling the treatment centre now.
    func keepSafetyFacts(_ u: Understanding, into draft: inout Draft) {
        let title = "What is safety-critical to know"
        let products = u.productIDs.compactMap { knowledge.product(id: $0) }
        let engineered: Set<TherapyModality> = [.carT, .tcrT, .til, .nkCell, .crisprEdited]
        // CRS, ICANS and their medicines belong to cell therapy even when no product is named.
        let reactions: Set<String> = ["crs", "icans"]
        let cellTherapy = products.contains { engineered.contains($0.modality) } || u.modalities.contains(where: engineered.contains)
            || u.safetyIDs.contains(where: reactions.contains)
        // What the medicine asked about is for, when the knowledge base defines it.
        for entry in u.glossaryIDs.compactMap({ tables.glossary(id: $0) }) {
            draft.bullet(.sideEffects, title, "\(entry.term): \(entry.definition)", citing: entry.sources)
        }
        guard cellTherapy || !products.isEmpty else { return }
        // A medicine for a reaction, asked about as something to take at home.
        if u.glossaryIDs.contains("term-tocilizumab") || u.safetyIDs.contains("crs"), let topic = tables.safety(id: "tocilizumab-at-the-centre") {
            draft.bullet(.sideEffects, title, "\(topic.title): \(topic.summary)", citing: topic.sources)
        }
        if cellTherapy {
            let sources = Prose.unique(["crs", "icans"].compactMap { tables.safety(id: $0) }.flatMap(\.sources))
            draft.bullet(.sideEffects, title, "After a cell therapy, a fever, chills, confusion, trouble speaking, unusual drowsiness, shaking, a seizure or trouble breathing mean calling the treatment centre's 24-hour number now (or emergency services): these can be signs of cytokine release syndrome, neurological toxicity or infection.", citing: sources)
        }
        for product in products.prefix(2) {
            for fact in product.facts(.boxedWarning) + product.facts(.monitoring, region: u.regions.first) {
                draft.bullet(.sideEffects, title, "\(product.brand): \(fact.text)", citing: fact.sources)
            }
        }
        if products.isEmpty, cellTherapy {
            for safety in knowledge.safety where safety.region == nil || u.regions.isEmpty || u.regions.contains(safety.region!) {
                guard ["stay-near-centre", "stay-near-centre-eu", "driving-restriction", "driving-restriction-eu"].contains(safety.id) else { continue }
                draft.bullet(.sideEffects, title, "\(safety.title): \(safety.summary)", citing: safety.sources)
            }
        }
    }

    /// For "should I …" questions: the decision is the person's and their team's; the
    /// general information that follows helps prepare for that conversation.
    func referDecision(into draft: inout Draft) {
        draft.say("OncoNav cannot tell you what to choose: that is a decision for you and your oncology team, who know your whole history. Below is general information from OncoNav's knowledge base to help you prepare for that conversation.")
    }

    /// Symptoms happening now come before any information: who to call, and why, from the labels.
    func referUrgently(into draft: inout Draft) {
        let sources = Prose.unique(["crs", "icans", "infections-hypogammaglobulinaemia"].compactMap { tables.safety(id: $0) }.flatMap(\.sources))
        draft.say("Call the treatment centre's 24-hour number now, or emergency services (911 in the US, 112 in Europe, 999 in the UK) if you cannot reach them or the person is very unwell. Do not wait until the morning, and do not treat it at home first.")
        draft.say("Why: after CAR-T and other cell therapies, a fever (38 °C / 100.4 °F or higher, as the medication guides put it) can be the first sign of cytokine release syndrome (CRS) or of a serious infection, and new confusion, trouble finding words, speaking or writing, unusual drowsiness, shaking or seizures can be signs of neurological toxicity (ICANS). The product labels say these must be checked and treated by the treating team straight away, because they can become severe within hours.", citing: sources)
        draft.say("Call emergency services straight away if the person has trouble breathing, faints or feels faint, becomes confused or very drowsy, or has a seizure, and tell them about the recent CAR-T or other cell therapy.")
        draft.say("OncoNav cannot assess symptoms or say whether to give any medicine; the treating team on the phone can.")
    }

    func noAnswer(into draft: inout Draft) {
        draft.say("OncoNav's knowledge base does not have an answer to this question. Please ask your oncology team; they can answer it for your situation.")
        draft.suggest("How does CAR-T work?")
        draft.suggest("What is the difference between cell therapy, gene therapy and CAR-T?")
        draft.suggest("How long does the whole CAR-T process take?")
    }
}
