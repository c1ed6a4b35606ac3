import Foundation
import OncoKnowledge
import OncoMatch
import OncoRecords

/// The parts of an answer that address the question's own point: names OncoNav does not
/// know, the asked aspect of a named product, and the asker's own facts against the labels.
extension AnswerComposer {
    // MARK: Names

    /// Says which names it took as misspellings, and which product names it has no record
    /// of — before anything else, so no answer about another product reads as an answer
    /// about the one asked.
    func acknowledgeNames(_ topic: inout Topic, into draft: inout Draft) {
        let u = topic.understanding
        for correction in u.corrections {
            guard let product = knowledge.products.first(where: { product in
                ([product.brand, product.generic, product.id] + product.synonyms).contains { TextMatching.normalize($0) == correction.understoodAs }
            }) else { continue }
            draft.say("OncoNav has no product spelt “\(correction.written)”; it took this to mean \(product.brand) (\(product.generic)). If you meant a different product, OncoNav has no record of it.")
        }
        // A name the knowledge base mentions only as research: where it stands, not "no record".
        var unknown: [String] = []
        for name in u.unknownProductNames {
            let key = TextMatching.normalize(name)
            if let landscape = knowledge.landscapes.first(where: { TextMatching.normalize($0.research).contains(key) }) {
                draft.say("\(name) is not an approved product in OncoNav's knowledge base (its product list was last reviewed \(knowledge.products.compactMap(\.reviewed).max()?.description ?? "recently")); it appears there only as an investigational treatment: \(landscape.research) Its current status is for the treating team or the regulator to confirm.",
                          citing: landscape.sources)
                topic.opensWithYesOrNo = false
                topic.unknownProductAsked = true
            } else {
                unknown.append(name)
            }
        }
        guard !unknown.isEmpty else { return }
        let names = Prose.list(unknown.map { "“\($0)”" })
        let reviewed = knowledge.products.compactMap(\.reviewed).max().map { " (its product list was last reviewed \($0))" } ?? ""
        draft.say("OncoNav has no record of a product called \(names). It is not among the approved cell and gene therapies in OncoNav's knowledge base\(reviewed), so OncoNav cannot confirm that it is approved anywhere. A name seen in a post may be wrong, may belong to a product still in clinical trials, or may not exist; the regulator's own database (FDA, EMA, MHRA and others) or your oncology team can check it.")

        topic.opensWithYesOrNo = false
        topic.unknownProductAsked = true
    }

    // MARK: Product aspects

    /// The aspects asked about each named product, from its sourced profile; with no aspect
    /// asked, a "what is it" question gets the profile's basics. Returns whether anything was said.
    @discardableResult
    func answerAspects(_ topic: Topic, into draft: inout Draft) -> Bool {
        let u = topic.understanding
        guard !topic.products.isEmpty else { return false }
        var aspects = u.aspects
        if u.intents.contains(.sideEffects), !aspects.contains(.sideEffects) { aspects.insert(.sideEffects, at: 0) }
        if aspects.contains(.sideEffects) || aspects.contains(.classWarning) { aspects.append(.boxedWarning) }
        if !Set(u.intents).isDisjoint(with: [.definition, .howItWorks]) {
            // "What is it?": the profile's basics, after whatever else was asked.
            aspects = Prose.unique(aspects + [.mechanism, .target, .cellSource, .administration])
        }
        if aspects.contains(.mechanism) { aspects += [.target, .cellSource, .administration] }
        if aspects.contains(.vector), !aspects.contains(.classWarning) { aspects.append(.classWarning) }
        aspects = Prose.unique(aspects)
        let region = topic.regions.first
        var said = false
        // "Is Tecelra a CAR-T?": which kind of cell therapy a product is, when the question
        // names another kind.
        let cellKinds: Set<TherapyModality> = [.carT, .tcrT, .til, .nkCell]
        for product in topic.products.prefix(3) where cellKinds.contains(product.modality) {
            // Only against a specific other kind: "cell therapy" names CAR-T among others.
            guard !u.modalities.contains(product.modality) else { continue }
            let others = u.modalities.filter { cellKinds.contains($0) && $0 != product.modality }
            guard !others.isEmpty else { continue }
            draft.say("\(product.brand) is a \(Prose.family([product.modality])) product, not \(Prose.family(others)).", citing: product.sources)
            said = true
        }
        if said { aspects = Prose.unique(aspects + [.mechanism, .vector]) }
        // "Is there an age limit for Yescarta?": each label's ages, grouped by region.
        if Self.asksAboutAge(topic.question) {
            for product in topic.products.prefix(3) { said = describeAges(of: product, regions: topic.regions, into: &draft) || said }
        }
        // Named products built differently ("4-1BB" vs "CD28"): what is known about the difference.
        let domains = Set(topic.products.compactMap { product in
            ["4-1BB", "CD28"].first { domain in product.facts(.construct).contains { $0.text.contains(domain) } }
        })
        if aspects.contains(.construct), domains.count > 1, let faq = tables.faq(id: "faq-compare-car-t-products") {
            draft.paragraph(.comparison, "Comparing the options", faq.answer, citing: faq.sources)
        }
        for product in topic.products.prefix(3) {
            var facts: [ProductFact] = []
            for aspect in aspects {
                var found = product.facts(aspect, region: region)
                let aboutVector = { (fact: ProductFact) in fact.text.lowercased().contains("hiv") || fact.text.lowercased().contains("vector") }
                if aspect == .classWarning, u.aspects.contains(.vector), !u.aspects.contains(.classWarning) {
                    // With a question about the vector, only the warnings that concern it.
                    found = found.filter(aboutVector)
                } else if aspect == .classWarning, !u.aspects.contains(.vector) {
                    // A question about side effects is not about what laboratory tests show.
                    found = found.filter { !aboutVector($0) }
                }
                facts += found
            }
            for fact in Prose.unique(facts) {
                let label = fact.region.map { " (\(Prose.place($0)) label)" } ?? ""
                draft.say("\(product.brand)\(label): \(fact.text)", citing: fact.sources)
                said = true
            }
            // "Breyanzi is 4-1BB": which other products share the named one's co-stimulatory domain.
            if aspects.contains(.construct) {
                for domain in ["4-1BB", "CD28"] where product.facts(.construct).contains(where: { $0.text.contains(domain) }) {
                    let others = knowledge.products.filter { other in
                        other.id != product.id && other.facts(.construct).contains { $0.text.contains(domain) }
                    }
                    guard !others.isEmpty else { continue }
                    draft.say("Other products whose CAR uses \(domain): \(Prose.list(others.map(\.brand).sorted())).",
                              citing: Prose.unique(others.flatMap { $0.facts(.construct).flatMap(\.sources) }))
                }
            }
            // No product rule for the region asked about: the class rules of that region's
            // product information (staying near the centre, driving) answer instead.
            if aspects.contains(.monitoring), let region, product.facts(.monitoring, region: region).isEmpty {
                for safety in knowledge.safety where safety.region == region && safety.modalities.contains(product.modality) {
                    draft.say("\(safety.title): \(safety.summary)", citing: safety.sources)
                    said = true
                }
            }
        }
        return said
    }

    static func asksAboutAge(_ question: String) -> Bool {
        let words = Words(question)
        return ["age limit", "age limits", "too old", "too young", "how old", "age cut off", "age cutoff", "upper age",
                "minimum age", "maximum age", "what age", "age range", "older people", "elderly"].contains(where: words.contains)
    }

    /// The age rule of each of a product's labels, in plain words.
    func describeAges(of product: Product, regions: [Region], into draft: inout Draft) -> Bool {
        let active = product.indications.filter { $0.isActive && (regions.isEmpty || regions.contains($0.region)) }
        guard !active.isEmpty else { return false }
        func rule(_ item: LabelIndication) -> String {
            switch (item.ageMin, item.ageMax) {
            case let (min?, max?): "from \(min) up to and including \(max) years"
            case let (min?, nil): min >= 18 ? "adults (\(min) or older), with no upper age limit" : "from \(min) years, with no upper age limit"
            case let (nil, max?): "up to and including \(max) years"
            case (nil, nil): "no age rule captured here"
            }
        }
        // Grouped by rule: "adults (18 or older), with no upper age limit: the US, the EU and Japan".
        var order: [String] = [], places: [String: [String]] = [:]
        for item in active.sorted(by: { ($0.region.rawValue, $0.id) < ($1.region.rawValue, $1.id) }) {
            let key = rule(item)
            if places[key] == nil { order.append(key) }
            let place = Prose.place(item.region)
            if !(places[key] ?? []).contains(place) { places[key, default: []].append(place) }
        }
        let lines = order.map { "\($0) (\(Prose.list(places[$0] ?? [])))" }
        let lead = lines.count == 1 ? "All of \(product.brand)'s labels OncoNav holds are for \(lines[0])" : "\(product.brand)'s labels set these ages: \(lines.joined(separator: "; "))"
        draft.say("\(lead). Fitness for treatment is judged by the CAR-T team, whatever the age.", citing: Prose.unique(active.flatMap(\.sources)))
        return true
    }

    // MARK: The asker's own facts

    /// Reads the person's own facts from the question (age, diagnosis, relapse, prior lines
    /// and drugs, transplant, HLA, biomarkers) with the records extractor, and judges each
    /// relevant label with the evaluator matching uses. Returns whether it said anything.
    @discardableResult
    func applyAskerFacts(_ topic: Topic, into draft: inout Draft) -> PersonalCheck? {
        let u = topic.understanding
        guard topic.unknownProductAsked == false || !topic.products.isEmpty else { return nil }
        // A check against labels answers questions about approval or eligibility; a question
        // about side effects or how a treatment works is not one, whoever asks it.
        let asksLabels = !Set(u.intents).isDisjoint(with: [.eligibility, .approval]) || !topic.regions.isEmpty
            || (u.intents.contains(.comparison) && topic.products.count > 1)
        let asksOther = !Set(u.intents).isDisjoint(with: [.sideEffects, .howItWorks, .logistics]) && !u.intents.contains(.eligibility)
        guard u.concern != .urgentSymptoms, asksLabels, !asksOther else { return nil }
        let patientText = QuestionFacts.asPatientText(topic.question)
        let extracted = askerExtractor.extract(text: patientText, documentID: "question", method: .textRules)
        let facts = extracted + QuestionFacts.facts(in: topic.question, understanding: u, knowledge: knowledge, extracted: extracted)
        var profile = PatientProfile()
        profile.add(facts)
        let personal = facts.contains { [.age, .birthDate, .treatmentLine, .transplant, .priorCellTherapy, .biomarker].contains($0.field) }
            || StatedQuestionFacts.mentionsOwnHistory(topic.question)
        guard personal else { return nil }
        var indications = relevantIndications(topic)
        guard !indications.isEmpty else { return nil }
        var alternatives: [(Product, LabelIndication)] = []
        if !topic.products.isEmpty, let cancer = topic.cancer {
            // When the named products may not fit, the other labels for the same cancer
            // (in the person's region) are what a navigator would check next.
            let named = Set(topic.products.map(\.id))
            let families = Set(topic.products.map(\.modality))
            // In the person's region, or where the named products are approved when they name none.
            let regions = topic.regions.isEmpty ? Set(topic.products.flatMap { $0.indications.filter(\.isActive).map(\.region) }) : Set(topic.regions)
            alternatives = knowledge.products.filter { !named.contains($0.id) && families.contains($0.modality) }.flatMap { product in
                product.indications.filter { $0.isActive && covers($0, cancer.id) && regions.contains($0.region) }
                    .map { (product, $0) }
            }
        }
        let texts = [CaseDocumentText(documentID: "question", text: patientText)]
        // A question lists the treatments that come to mind, not a full history: without a
        // stated number, too few lines is not yet a miss.
        let stated = Self.statesLineCount(topic.question)
        let namedTreatments = !profile.treatmentLines.isEmpty
        // Each label judged once; a product in a region fits when any of its labels there
        // fits, may fit when none fits but one is open, and does not fit only when all miss.
        enum Outcome: Int { case fits = 0, open = 1, misses = 2 }
        struct Judged { var product: Product; var item: LabelIndication; var outcome: Outcome; var line: String; var missed: String?; var unsettled: [String] = [] }
        func judge(_ list: [(Product, LabelIndication)], alternative: Bool) -> [Judged] {
            list.map { product, item in
                let verdicts = labelEvaluator.evaluate(item, profile: profile, today: today, texts: texts).map(Self.inQuestionWords)
                    .map { stated ? $0 : Self.countFromNamedTreatments($0) }
                    .map { namedTreatments ? Self.requiredClassNotNamed($0) : $0 }
                let lead = (alternative ? "Also for this cancer: " : "") + "\(product.brand), \(Prose.place(item.region))"
                let what = item.summary.range(of: ". ").map { String(item.summary[..<$0.lowerBound]) }
                    ?? String(item.summary.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ".")))
                if let failed = verdicts.first(where: { $0.verdict == .notMet }) {
                    return Judged(product: product, item: item, outcome: .misses,
                                  line: "\(lead) — \(what): does not fit as you describe it. \(failed.text): \(failed.reason)",
                                  missed: failed.text.lowercasedFirst)
                }
                let unsettled = verdicts.filter { $0.verdict == .unknown }.map { $0.text.trimmingCharacters(in: CharacterSet(charactersIn: ". ")) }
                // The rules what the person wrote already meets, so the check shows its working.
                let met = verdicts.filter { $0.verdict == .met }.map { $0.text.trimmingCharacters(in: CharacterSet(charactersIn: ". ")).lowercasedFirst }
                let meets = met.isEmpty ? "" : " What you wrote meets: \(Prose.list(Array(met.prefix(6))))."
                if unsettled.isEmpty {
                    return Judged(product: product, item: item, outcome: .fits, line: "\(lead) — \(what): every rule this label states fits what you wrote.\(meets)", missed: nil)
                }
                return Judged(product: product, item: item, outcome: .open,
                              line: "\(lead) — \(what): nothing you wrote rules it out.\(meets) Not settled by what you wrote: \(Prose.list(unsettled.map { $0.lowercasedFirst })).",
                              missed: nil, unsettled: unsettled)
            }
        }
        var judged = judge(indications, alternative: false)
        func best(_ list: [Judged]) -> [String: Outcome] {
            var result: [String: Outcome] = [:]
            for j in list {
                let key = "\(j.product.id)|\(j.item.region.rawValue)"
                if j.outcome.rawValue < (result[key] ?? .misses).rawValue || result[key] == nil { result[key] = j.outcome }
            }
            return result
        }
        let namedOutcomes = best(judged)
        let namedMiss = !topic.products.isEmpty && !namedOutcomes.isEmpty && namedOutcomes.values.allSatisfy { $0 == .misses }
        if namedMiss || topic.products.isEmpty || !topic.regions.isEmpty { judged += judge(alternatives, alternative: true) }
        let outcomes = best(judged)
        // Names grouped by product: "Yescarta (the US, the European Union and China)".
        func names(_ outcome: Outcome) -> String {
            var order: [String] = [], places: [String: [String]] = [:], missed: [String: String] = [:]
            for j in judged where outcomes["\(j.product.id)|\(j.item.region.rawValue)"] == outcome {
                if places[j.product.brand] == nil { order.append(j.product.brand) }
                let place = Prose.place(j.item.region)
                if !(places[j.product.brand] ?? []).contains(place) { places[j.product.brand, default: []].append(place) }
                if let m = j.missed { missed[j.product.brand] = missed[j.product.brand] ?? m }
            }
            let shown = order.prefix(5).map { brand in
                "\(brand) (\(Prose.list(places[brand] ?? [])))" + (outcome == .misses ? missed[brand].map { " — \($0)" } ?? "" : "")
            }
            return Prose.list(Array(shown)) + (order.count > 5 ? " and others" : "")
        }
        let present = Set(outcomes.values)
        var clauses: [String] = []
        let missClause = "these do not fit as you describe it: \(names(.misses))"
        if namedMiss { clauses.append(missClause) }
        if present.contains(.fits) { clauses.append("every rule stated on the label fits what you wrote for \(names(.fits))") }
        if present.contains(.open) { clauses.append("\(names(.open)) may fit, but your question does not settle every rule") }
        if present.contains(.misses), !namedMiss { clauses.append(missClause) }
        draft.say("For you, as you describe it: \(clauses.joined(separator: "; ")). Each rule is listed below; only your oncology or CAR-T team, with your full records, can confirm eligibility.",
                  citing: Prose.unique(judged.flatMap(\.item.sources)))
        // A label that misses is worth a line only when nothing else of that product there fits.
        let shown = judged.filter { j in j.outcome != .misses || outcomes["\(j.product.id)|\(j.item.region.rawValue)"] == .misses }
        let sorted = namedMiss ? shown.filter { $0.outcome == .misses } + shown.filter { $0.outcome != .misses }
                               : shown.sorted { $0.outcome.rawValue < $1.outcome.rawValue }
        for line in sorted.prefix(12).map(\.line) { draft.bullet(.yourCase, "For you, as you describe it", line) }
        // The decision is the care team's: the rules still open become questions to take to them.
        let askTitle = "Questions to ask your oncology team"
        for rule in Prose.unique(judged.filter { $0.outcome == .open }.flatMap(\.unsettled)).filter({ !$0.contains("not captured") }).prefix(4) {
            draft.bullet(.questionsToAsk, askTitle, "Do my records show the label's rule \u{201C}\(rule.lowercasedFirst)\u{201D}?")
        }
        draft.bullet(.questionsToAsk, askTitle, "Which of these labels applies where I would be treated, and is it funded or covered there?")
        return PersonalCheck(namedProductsMiss: namedMiss)
    }

    /// Whether the question gives a number of earlier lines or treatments ("3 lines", "two regimens").
    static func statesLineCount(_ question: String) -> Bool { StatedLineCount.isStated(in: question) }

    /// A line-count miss read from the treatments named stays a miss as described, and says
    /// how it was counted.
    static func countFromNamedTreatments(_ verdict: CriterionVerdict) -> CriterionVerdict {
        guard verdict.verdict == .notMet, verdict.text.lowercased().contains("prior line") else { return verdict }
        var copy = verdict
        copy.reason = verdict.reason + " (counted from the treatments you named; if there were others, your team can count every earlier line)"
        return copy
    }

    /// The label requires an earlier drug class and the person named their earlier
    /// treatments without one: as described, the rule is not met.
    static func requiredClassNotNamed(_ verdict: CriterionVerdict) -> CriterionVerdict {
        guard verdict.verdict == .unknown, let range = verdict.reason.range(of: "; not mentioned in what you wrote") else { return verdict }
        var copy = verdict
        copy.verdict = .notMet
        copy.reason = String(verdict.reason[..<range.lowerBound]) + "; none of the treatments you named is one"
        return copy
    }

    /// A verdict's reason as it reads to the person who wrote the question.
    static func inQuestionWords(_ verdict: CriterionVerdict) -> CriterionVerdict {
        var copy = verdict
        for (from, to) in [("the records do not say", "you did not say"), ("the records do not show", "you did not say"),
                           ("the records state", "you wrote"), ("the records say", "you wrote"),
                           ("the records show", "you wrote"), ("the records give", "you gave"), ("the records", "what you wrote"),
                           ("the record", "what you wrote"), ("today", "")] {
            copy.reason = copy.reason.replacingOccurrences(of: from, with: to)
        }
        copy.reason = copy.reason.trimmingCharacters(in: .whitespaces)
        return copy
    }

    /// The label indications a personal check should cover: those of the named products, else
    /// those for the cancer asked about; in the person's region when they name one.
    private func relevantIndications(_ topic: Topic) -> [(Product, LabelIndication)] {
        var list: [(Product, LabelIndication)] = []
        if !topic.products.isEmpty {
            for product in topic.products { list += product.indications.filter(\.isActive).map { (product, $0) } }
            if let cancer = topic.cancer {
                let covering = list.filter { covers($0.1, cancer.id) }
                if !covering.isEmpty { list = covering }
            }
        } else if let cancer = topic.cancer {
            for product in knowledge.products where topic.modalities.contains(product.modality) || !topic.modalitiesNamed {
                list += product.indications.filter { $0.isActive && covers($0, cancer.id) }.map { (product, $0) }
            }
        }
        if !topic.regions.isEmpty {
            let here = list.filter { topic.regions.contains($0.1.region) }
            if !here.isEmpty || !topic.products.isEmpty { list = here }
        }
        return list
    }
}

/// Phrases that tell the question carries the person's own history even when no single
/// value was extracted ("came back a second time", "has progressed after two chemo regimens").
enum StatedQuestionFacts {
    static func mentionsOwnHistory(_ question: String) -> Bool {
        let words = Words(question)
        return ["came back", "come back", "coming back", "returned", "recurred", "growing again", "grew on", "grew after",
                "relapsed", "relapse", "progressed", "progressing", "refractory", "didn t work", "did not work",
                "didn t respond", "did not respond", "lines", "line of", "treatments", "regimens", "had a transplant",
                "after a transplant", "after transplant", "after my transplant", "years old", "yr old", "year old",
                "i ve had", "i have had", "has had", "he s had", "she s had"].contains(where: words.contains)
    }
}

/// What the personal check found that changes how the answer opens.
struct PersonalCheck {
    /// Every label of the products the person named fails a rule on what they wrote, so a
    /// plain "Yes, it is approved" would mislead.
    var namedProductsMiss: Bool
}

extension String {
    /// "Age 18 …" → "age 18 …", but "CD19: positive" and "HLA-A*02" keep their capitals.
    var lowercasedFirst: String {
        let second = dropFirst().first
        if let second, second.isUppercase || second.isNumber { return self }
        return prefix(1).lowercased() + dropFirst()
    }
}

extension AnswerComposer {
    /// After the call-now line: what the labels say about the reactions that make it urgent,
    /// and the named products' own monitoring rules.
    func describeUrgentSafety(topic: Topic, into draft: inout Draft) {
        let title = "What these signs can mean"
        for id in ["crs", "icans", "infections-hypogammaglobulinaemia"] {
            guard let safety = tables.safety(id: id) else { continue }
            draft.bullet(.sideEffects, title, "\(safety.title): \(safety.summary)", citing: safety.sources)
        }
        for product in topic.products.prefix(2) {
            for fact in product.facts(.monitoring, region: topic.regions.first) + product.facts(.boxedWarning) {
                draft.bullet(.sideEffects, title, "\(product.brand): \(fact.text)", citing: fact.sources)
            }
        }
    }

    /// One line on where a product is approved, when the question asked something else about it.
    func noteApprovals(of product: Product, into draft: inout Draft) {
        let active = product.indications.filter(\.isActive)
        guard !active.isEmpty else {
            if product.indications.isEmpty {
                draft.paragraph(.currentStatus, "Current status", noCheckedApproval(of: product), citing: product.sources)
            }
            return
        }
        let places = Prose.list(Prose.unique(active.map(\.region)).map(Prose.place))
        let cancers = Prose.list(Prose.unique(active.flatMap(\.cancers)).compactMap { knowledge.cancer(id: $0)?.name.lowercasedName })
        var what = Prose.family([product.modality])
        if let target = product.target { what += " aimed at \(target)" }
        if product.cellSource == "autologous" { what += ", made from the person's own cells" }
        draft.paragraph(.currentStatus, "Current status", "\(product.brand) (\(product.generic)), a \(what), is approved in \(places) for \(cancers).",
                        citing: Prose.unique(active.flatMap(\.sources)))
        // A product with few labels: each label's own wording (who it is for) is short enough to give.
        if active.count <= 3 { listIndications(of: product, active, into: &draft) }
        noteMissingMajorApprovals(of: product, into: &draft)
    }

    /// "Gendicine is approved in China": when a product has no US or EU approval, that is
    /// worth saying, since people often assume it.
    func noteMissingMajorApprovals(of product: Product, into draft: inout Draft) {
        let regions = Set(product.indications.filter(\.isActive).map(\.region))
        guard !regions.isEmpty, !regions.contains(.us), !regions.contains(.eu) else { return }
        let ended = product.indications.contains { !$0.isActive && ($0.region == .us || $0.region == .eu) }
        draft.paragraph(.currentStatus, "Current status",
                        "OncoNav's knowledge base holds no current US (FDA) or EU (EMA) approval of \(product.brand)\(ended ? " (an earlier one has ended)" : "").",
                        citing: product.sources)
    }
}
