import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// What to match and how: the day (for ages and time windows — never read from the clock
/// here), the regulator region of interest, where the person lives, and how many trials.
public struct MatchSettings: Sendable, Hashable {
    public var today: Day
    /// With a region, label options are that region's; other regions' approvals are named in `availability`.
    public var region: Region?
    /// For trial distance ranking.
    public var near: Place?
    /// Trials returned, each with every criterion evaluated.
    public var trialLimit: Int
    /// Trials taken from the index before criteria are evaluated.
    public var candidateLimit: Int
    /// Only recruiting / not-yet-recruiting trials.
    public var openTrialsOnly: Bool
    /// Options whose unknowns feed the to-do list.
    public var toDoDepth: Int

    public init(today: Day, region: Region? = nil, near: Place? = nil, trialLimit: Int = 50, candidateLimit: Int = 100,
                openTrialsOnly: Bool = true, toDoDepth: Int = 20) {
        self.today = today
        self.region = region
        self.near = near
        self.trialLimit = trialLimit
        self.candidateLimit = candidateLimit
        self.openTrialsOnly = openTrialsOnly
        self.toDoDepth = toDoDepth
    }
}

/// Matches a profile against approved product labels and trials, criterion by criterion,
/// ranks the options and turns the unknowns into a to-do list. A value: share it across
/// requests; `match` does not mutate it.
public struct Matcher: Sendable {
    public let knowledge: KnowledgeBase
    public let trials: TrialCatalog?
    let labels: LabelEvaluator
    let criteria: CriterionEvaluator

    public init(knowledge: KnowledgeBase, trials: TrialCatalog? = nil) {
        self.knowledge = knowledge
        self.trials = trials
        labels = LabelEvaluator(knowledge: knowledge)
        criteria = CriterionEvaluator(knowledge: knowledge, lexicon: trials?.parser.extractor.lexicon ?? .oncologyDefault)
    }

    /// The ranked options and to-do list for `profile`; `texts` are the case's documents as
    /// extracted, read for what they state in words (relapse ordinal, listed lines …).
    public func match(_ profile: PatientProfile, settings: MatchSettings, texts: [CaseDocumentText] = []) -> MatchReport {
        let reading = CaseReading(profile: profile, knowledge: knowledge, today: settings.today, texts: texts, terms: labels.terms)
        var notes: [String] = []
        var options = labelOptions(reading, settings)
        let hasCellTherapyFit = options.contains { option in
            option.status.rank < 2 && option.verdicts.first?.verdict == .met
                && option.label.flatMap { knowledge.product(id: $0.productID) }?.modality == .carT
        }
        if !hasCellTherapyFit {
            options += approachOptions(reading)
            if reading.cancerIDs.isEmpty { notes.append("The cancer type is not in the records, so approved products and approaches could not be narrowed down.") }
        }
        options.sort { ($0.status.rank, -$0.relevance, $0.id) < ($1.status.rank, -$1.relevance, $1.id) }
        if trials != nil, reading.cancerIDs.isEmpty {
            notes.append("Trials were not searched: the cancer type is not in the records.")
        } else if let trials {
            // Trials keep their own order (cancer relevance first, demoted only for a definite not met),
            // after the approved products and approaches that may fit and before those that do not.
            let split = options.firstIndex { $0.status.rank == 2 } ?? options.endIndex
            let found = trialOptions(reading, trials, settings)
            options.insert(contentsOf: found.options, at: split)
            if let place = found.place { notes.append(place) }
        } else {
            notes.append("No trial registry was loaded; only approved products were compared.")
        }
        let top = options.filter { $0.status.rank < 2 }.prefix(settings.toDoDepth)
        return MatchReport(caseID: profile.caseID, today: settings.today, region: settings.region,
                           cancers: reading.cancerIDs.compactMap { knowledge.cancer(id: $0)?.name },
                           options: options, toDo: ToDoList.build(from: Array(top)), notes: notes)
    }

    // MARK: Labels

    func labelOptions(_ reading: CaseReading, _ settings: MatchSettings) -> [MatchOption] {
        var options: [MatchOption] = []
        for product in knowledge.products {
            let active = product.indications.filter(\.isActive)
            let covering = Set(active.filter { item in reading.cancerIDs.contains { knowledge.indication(item, covers: $0) } }.map(\.region))
            let regions = Region.allCases.filter(covering.contains)
            var availability = regions.isEmpty
                ? "No approval found for this cancer in the knowledge base"
                : "Approved for this cancer by: " + regions.map { "\($0.regulator) (\($0.rawValue.uppercased()))" }.joined(separator: ", ")
            // With a region chosen, a product approved for this cancer only elsewhere still shows, saying so.
            var shown = active.filter { settings.region == nil || $0.region == settings.region }
            if let wanted = settings.region, !covering.contains(wanted), !regions.isEmpty {
                availability += "; not approved for this use in \(wanted.rawValue.uppercased())"
                shown = active.filter { item in reading.cancerIDs.contains { knowledge.indication(item, covers: $0) } }
            }
            for indication in shown {
                let verdicts = labels.evaluate(indication, reading)
                // Indications for other cancers are left out; an unknown cancer keeps them (to check).
                if verdicts.first?.verdict == .notMet { continue }
                var relevance = 10.0 + (product.modality == .carT ? 2 : 1) + (verdicts.first?.verdict == .met ? 3 : 0)
                if let wanted = settings.region, indication.region != wanted { relevance -= 4 }
                options.append(MatchOption(
                    id: "label:\(indication.id)", kind: .approvedProduct,
                    title: "\(product.brand) (\(product.generic)) — \(indication.regulatorName): " + Self.indicationHeadline(indication, knowledge),
                    summary: indication.summary, status: OptionStatus.from(verdicts), verdicts: verdicts, relevance: relevance,
                    sources: indication.sources,
                    label: LabelDetails(productID: product.id, brand: product.brand, generic: product.generic, indicationID: indication.id,
                                        region: indication.region, regulator: indication.regulatorName,
                                        approvalDate: indication.approvalDate?.description, approvalType: indication.approvalType.rawValue,
                                        availability: availability, regionsCoveringCancer: regions),
                    trial: nil, evidenceStage: nil))
            }
        }
        return options
    }

    /// "Large B-cell lymphoma, after at least 2 prior lines" — tells one indication of a product from another.
    static func indicationHeadline(_ indication: LabelIndication, _ knowledge: KnowledgeBase) -> String {
        var text = indication.cancers.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: ", ")
        if let lines = indication.minPriorLines { text += ", after at least \(lines) prior line\(lines == 1 ? "" : "s")" }
        if indication.transplant == .ineligible { text += ", transplant not an option" }
        if let months = indication.timing.first?.months { text += ", early relapse (≤ \(months) months)" }
        return text
    }

    /// The knowledge base's approaches for the cancer, when no approved CAR-T label fits.
    func approachOptions(_ reading: CaseReading) -> [MatchOption] {
        guard let cancer = reading.cancerIDs.first else { return [] }
        return knowledge.approaches(forCancer: cancer).map { match in
            MatchOption(id: "approach:\(match.approach.id)", kind: .approach, title: match.approach.name,
                        summary: match.approach.relevantWhen, status: .toDiscuss, verdicts: [],
                        relevance: 1 + Double(EvidenceStage.allCases.firstIndex(of: match.stage) ?? 0) / 10,
                        sources: match.evidence.sources.isEmpty ? match.approach.sources : match.evidence.sources,
                        label: nil, trial: nil, evidenceStage: match.stage.displayName)
        }
    }

    // MARK: Trials

    /// The trials for the case and, when a place was asked for, a note saying where
    /// distances are measured from (or that the place was not found).
    func trialOptions(_ reading: CaseReading, _ catalog: TrialCatalog, _ settings: MatchSettings) -> (options: [MatchOption], place: String?) {
        // The cancer's name without qualifiers ("…, not otherwise specified") and its parent's.
        let cancer = reading.cancerIDs[0]
        let names = ([cancer] + (knowledge.cancer(id: cancer)?.parents.prefix(1) ?? []))
            .compactMap { knowledge.cancer(id: $0)?.name.split(separator: ",").first.map(String.init) }
        var query = TrialQuery(text: names.joined(separator: " "))
        if settings.openTrialsOnly { query.overallStatuses = ["RECRUITING", "NOT_YET_RECRUITING"] }
        query.near = settings.near
        if let age = reading.age { query.patientAge = Double(age.range.lowerBound) }
        if let sex = PatientProfile.preferred(reading.profile.sexes)?.value, sex == .female || sex == .male {
            query.patientSex = sex == .female ? .female : .male
        }
        let results = catalog.index.search(query, limit: settings.candidateLimit)
        let hits = results.hits
        var place: String?
        if let resolved = results.resolvedPlace {
            place = "Trials nearest to \(([resolved.city, resolved.state, resolved.country].compactMap { $0 }).joined(separator: ", ")) first; distances are to the nearest recruiting site."
        } else if let unresolved = results.unresolvedPlace {
            place = "No imported trial site is in a place called \u{201C}\(unresolved)\u{201D}, so distances could not be measured; try a nearby large city."
        }
        let maxScore = hits.map(\.score).max() ?? 1
        var options: [MatchOption] = []
        var tiers: [String: Int] = [:]
        options.reserveCapacity(hits.count)
        for hit in hits {
            guard let record = catalog.records[hit.nctID] else { continue }
            // Options only for the person's cancer; a trial open to several cancers says why it is listed.
            let fit = cancerFit(catalog.index.conditionConcepts(nctID: hit.nctID), reading)
            guard fit.tier < 2 else { continue }
            tiers[record.nctID] = fit.tier
            let parsed = catalog.criteria(slot: record.criteria)
            let verdicts = criteria.evaluate(parsed, reading)
            let status = OptionStatus.from(verdicts)
            // Condition fit: an inclusion criterion naming the cancer is met.
            let diagnosisMet = zip(parsed, verdicts).contains { criterion, verdict in
                verdict.verdict == .met && verdict.origin == .inclusion
                    && criterion.constraints.contains { if case .diagnosis = $0 { true } else { false } }
            }
            options.append(MatchOption(
                id: "trial:\(record.nctID)", kind: .trial, title: record.title,
                summary: record.conditions.joined(separator: ", ") + (fit.why.map { " — " + $0 } ?? ""), status: status, verdicts: verdicts,
                relevance: Self.trialRelevance(record, hit, maxScore: maxScore, verdicts: verdicts) + (diagnosisMet ? 3 : 0),
                sources: [], label: nil,
                trial: TrialDetails(nctID: record.nctID, phases: record.phases, overallStatus: record.overallStatus, conditions: record.conditions,
                                    modalities: record.modalities.map(\.rawValue).sorted(), recruitingSites: record.recruitingSites,
                                    distanceKm: hit.distanceKm, nearestSite: [hit.nearestCity, hit.nearestCountry].compactMap { $0 }.joined(separator: ", "),
                                    searchScore: hit.score, lastUpdate: record.lastUpdate),
                evidenceStage: nil))
        }
        // Relevance to the person's cancer first; criteria demote a trial only for a definite
        // not met, and never below a trial that is only a basket for the cancer.
        // With a place found, nearest first within those groups (the person asked "near").
        let byDistance = results.resolvedPlace != nil || { if case .coordinate = settings.near { true } else { false } }()
        options.sort { lhs, rhs in
            let l = (tiers[lhs.trial?.nctID ?? ""] ?? 1, lhs.status.rank == 2 ? 1 : 0), r = (tiers[rhs.trial?.nctID ?? ""] ?? 1, rhs.status.rank == 2 ? 1 : 0)
            if byDistance, l == r {
                let (a, b) = (lhs.trial?.distanceKm ?? .infinity, rhs.trial?.distanceKm ?? .infinity)
                if a != b { return a < b }
            }
            return (l.0, l.1, -lhs.relevance) < (r.0, r.1, -rhs.relevance)
        }
        return (Array(options.prefix(settings.trialLimit)), place)
    }

    static let genericCancers: Set<String> = ["cancer", "solid-tumour", "haematologic-malignancy"]

    /// 0: a trial for the person's cancer (or a subtype or a named parent of it); 1: a basket
    /// trial (solid tumours, blood cancers, any cancer) that takes it in, or one whose
    /// conditions name no cancer the knowledge base knows; 2: a trial for another cancer.
    func cancerFit(_ concepts: [String], _ reading: CaseReading) -> (tier: Int, why: String?) {
        let ids = Set(concepts.flatMap { concept in criteria.cancerConcepts[concept] ?? (knowledge.cancer(id: concept) != nil ? [concept] : []) })
        guard !ids.isEmpty else { return (1, "its conditions name no cancer type; check it concerns this cancer") }
        let related = { (id: String) in reading.cancerIDs.contains { knowledge.isA($0, id) || knowledge.isA(id, $0) } }
        if ids.contains(where: { !Self.genericCancers.contains($0) && related($0) }) { return (0, nil) }
        if let basket = ids.first(where: { Self.genericCancers.contains($0) && related($0) }) {
            return (1, "listed because the trial is open to \(knowledge.cancer(id: basket)?.name.lowercased() ?? basket) in general (a basket or tumour-agnostic trial)")
        }
        return (2, nil)
    }

    /// Condition fit (search score, a met diagnosis criterion), modality, phase, open sites, distance.
    static func trialRelevance(_ record: TrialCatalog.Record, _ hit: TrialSearchHit, maxScore: Double, verdicts: [CriterionVerdict]) -> Double {
        var score = maxScore > 0 ? 3 * hit.score / maxScore : 0
        if verdicts.contains(where: { $0.verdict == .met && $0.origin == .inclusion }) { score += 1 }
        if !record.modalities.isDisjoint(with: [.carT, .tcrT, .til, .nkCell, .geneTransfer, .crisprEdited, .oncolyticVirus]) { score += 2 }
        if record.phases.contains(where: { $0.contains("3") }) { score += 0.6 } else if record.phases.contains(where: { $0.contains("2") }) { score += 0.4 }
        score += min(1, log10(Double(1 + record.recruitingSites)) / 2)
        if let km = hit.distanceKm { score -= min(2, km / 1000) }
        return score
    }
}
