import OncoKnowledge

/// Approval status: of a named product, and of treatment families for a cancer.
extension AnswerComposer {
    /// "Is Kymriah approved in China?", "Does Kymriah work for lung cancer?", "What is Yescarta?"
    func describe(_ product: Product, topic: Topic, into draft: inout Draft) {
        let u = topic.understanding
        let active = product.indications.filter(\.isActive)
        let inRegion = topic.regions.isEmpty ? active : active.filter { topic.regions.contains($0.region) }
        let name = "\(product.brand) (\(product.generic))"
        let approvedPlaces = Prose.list(Prose.unique(active.map(\.region)).map(Prose.place))
        let approvedCancers = Prose.list(Prose.unique(active.flatMap(\.cancers)).compactMap { knowledge.cancer(id: $0)?.name.lowercasedName })
        let allSources = Prose.unique(active.flatMap(\.sources))

        if active.isEmpty, product.indications.isEmpty {
            // Known from trial reports only: no label the knowledge base could check. That is
            // not a "no" - approvals in some countries are not recorded here.
            draft.say(noCheckedApproval(of: product), citing: product.sources)
            let family = Prose.family([product.modality])
            let article = "aeiou".contains(family.prefix(1).lowercased()) ? "an" : "a"
            draft.paragraph(.howItWorks, "How it works", "\(name) is \(article) \(family) product from \(product.sponsor). \(product.summary)",
                            citing: product.sources)
            return
        }
        if let cancer = topic.cancer, topic.regions.contains(where: { !tables.trackedRegions.contains($0) }),
           !inRegion.contains(where: { covers($0, cancer.id) }) {
            // A country the knowledge base does not track: never "not approved there".
            let elsewhere = active.filter { covers($0, cancer.id) }
            let places = Prose.list(Prose.unique(elsewhere.map(\.region)).map(Prose.place))
            draft.say(untrackedCountry + (elsewhere.isEmpty ? "" : " It lists approvals of \(name) for \(cancer.name.lowercasedName) in \(places)."),
                      citing: Prose.unique(elsewhere.flatMap(\.sources)))
            listIndications(of: product, elsewhere, into: &draft)
            return
        }
        if let cancer = topic.cancer {
            let covering = inRegion.filter { covers($0, cancer.id) }
            let place = topic.regions.isEmpty ? "" : " in " + Prose.list(topic.regions.map(Prose.place))
            if covering.isEmpty {
                let lead = u.reportsClaim ? "That is not what the approved labels say. " : (topic.yes.isEmpty ? "" : "No. ")
                // An authorisation that existed and was withdrawn is the answer people need.
                let ended = product.indications.filter {
                    !$0.isActive && covers($0, cancer.id) && (topic.regions.isEmpty || topic.regions.contains($0.region))
                }
                if ended.isEmpty {
                    draft.say("\(lead)\(name) is not approved for \(cancer.name.lowercasedName)\(place) in any label OncoNav holds.", citing: allSources)
                } else {
                    draft.say("\(lead)\(name) is not authorised for \(cancer.name.lowercasedName)\(place) now.", citing: allSources)
                    for item in ended { draft.say(item.summary, citing: item.sources) }
                }
                let elsewhere = active.filter { covers($0, cancer.id) }
                if !elsewhere.isEmpty {
                    let places = Prose.list(Prose.unique(elsewhere.map(\.region)).map(Prose.place))
                    draft.say("It is approved for \(cancer.name.lowercasedName) in \(places).", citing: Prose.unique(elsewhere.flatMap(\.sources)))
                } else if !active.isEmpty {
                    draft.say("Its approved uses are for \(approvedCancers), in \(approvedPlaces).", citing: allSources)
                }
            } else {
                let places = Prose.list(Prose.unique(covering.map(\.region)).map(Prose.place))
                draft.say("\(topic.yes)\(name) has an approval that covers \(cancer.name.lowercasedName) in \(places).",
                          citing: Prose.unique(covering.flatMap(\.sources)))
                if u.intents.contains(.eligibility) {
                    for item in covering.prefix(4) {
                        draft.say("\(Prose.capitalized(Prose.place(item.region))): \(item.plainCriteria(in: knowledge))", citing: item.sources)
                    }
                }
            }
            listIndications(of: product, covering.isEmpty ? inRegion : covering, into: &draft)
            noteMissingMajorApprovals(of: product, into: &draft)
            return
        }
        if !topic.regions.isEmpty {
            for region in topic.regions {
                let here = active.filter { $0.region == region }
                if !tables.trackedRegions.contains(region), here.isEmpty {
                    draft.say(untrackedCountry + (active.isEmpty ? "" : " It lists approvals of \(name) in \(approvedPlaces)."), citing: allSources)
                } else if here.isEmpty {
                    draft.say("OncoNav's knowledge base has no approval of \(name) in \(Prose.placeAndRegulator(region))." + (active.isEmpty ? "" : " It lists approvals in \(approvedPlaces)."),
                              citing: allSources)
                } else {
                    let cancers = Prose.list(Prose.unique(here.flatMap(\.cancers)).compactMap { knowledge.cancer(id: $0)?.name.lowercasedName })
                    draft.say("\(topic.yes)\(name) is approved in \(Prose.placeAndRegulator(region)) for \(cancers).",
                              citing: Prose.unique(here.flatMap(\.sources)))
                }
            }
            draft.paragraph(.currentStatus, "Current status",
                            "Approvals change over time; the regulator's own register has the latest decisions.")
            listIndications(of: product, active, into: &draft)
            noteMissingMajorApprovals(of: product, into: &draft)
            return
        }
        let family = Prose.family([product.modality])
        let article = "aeiou".contains(family.prefix(1).lowercased()) ? "an" : "a"
        let description = "\(name) is \(article) \(family) product from \(product.sponsor). \(product.summary)"
        let comparing = u.intents.contains(.comparison) && topic.products.count > 1
        if comparing || (u.intents.contains(.approval) && !u.intents.contains(.definition)), !active.isEmpty {
            draft.say("\(name) is approved in \(approvedPlaces) for \(approvedCancers).", citing: allSources)
            draft.paragraph(.howItWorks, "How it works", description, citing: product.sources)
            listIndications(of: product, active, into: &draft)
            noteMissingMajorApprovals(of: product, into: &draft)
            return
        }
        if u.intents.contains(.sideEffects), let approach = topic.approaches.first(where: { $0.modality == product.modality }), !approach.risks.isEmpty {
            draft.say("The known risks of \(family) such as \(product.brand) include \(Prose.list(approach.risks.map(\.lowercasedName))).",
                      citing: approach.sources)
            draft.paragraph(.howItWorks, "How it works", description, citing: product.sources)
        } else {
            draft.say(description, citing: product.sources)
        }
        if !active.isEmpty {
            draft.say("It is approved in \(approvedPlaces) for \(approvedCancers).", citing: allSources)
        }
        listIndications(of: product, active, into: &draft)
        noteMissingMajorApprovals(of: product, into: &draft)
    }

    /// One bullet per label indication: where, when, what kind of approval, for whom.
    func listIndications(of product: Product, _ indications: [LabelIndication], into draft: inout Draft) {
        for item in indications.sorted(by: { ($0.region.rawValue, $0.id) < ($1.region.rawValue, $1.id) }) {
            let date = item.approvalDate.map { ", \($0)" } ?? ""
            let type = item.approvalType.rawValue.replacingOccurrences(of: "-", with: " ")
            draft.bullet(.currentStatus, "Current status",
                         "\(product.brand), \(Prose.placeAndRegulator(item.region))\(date), \(type) approval: \(item.summary)",
                         citing: item.sources.isEmpty ? product.sources : item.sources)
        }
    }

    /// Whether an indication covers the cancer or one of its subtypes (so "bladder cancer"
    /// finds the label for non-muscle-invasive bladder cancer).
    func covers(_ indication: LabelIndication, _ cancerID: String) -> Bool {
        knowledge.indication(indication, covers: cancerID)
            || indication.cancers.contains { knowledge.isA($0, cancerID) }
    }

    /// "How does CAR-T work for lung cancer?", "Is there a gene therapy for bladder cancer?"
    func describeApprovals(for cancer: CancerType, topic: inout Topic, into draft: inout Draft) {
        let cancerName = cancer.name.lowercasedName
        let family = topic.family
        var matches: [Approval] = []
        for product in knowledge.products where topic.modalities.contains(product.modality) {
            for item in product.indications where item.isActive && covers(item, cancer.id) {
                matches.append(Approval(product: product, indication: item))
            }
        }
        let inRegion = topic.regions.isEmpty ? matches : matches.filter { topic.regions.contains($0.indication.region) }
        let place = topic.regions.isEmpty ? "" : " in " + Prose.list(topic.regions.map(Prose.place))
        // Families approved as a class of drugs or a procedure rather than as products OncoNav lists.
        let classApprovals = topic.modalitiesNamed ? tables.approaches(forCancer: cancer.id).filter { match in
            match.stage == .approved && topic.modalities.contains(match.approach.modality)
                && !knowledge.products.contains { $0.modality == match.approach.modality }
        } : []
        topic.hasApproval = !inRegion.isEmpty || !classApprovals.isEmpty
        if inRegion.isEmpty && !classApprovals.isEmpty {
            // Nothing to deny: the family in question is approved, just not as a listed product.
        } else if inRegion.isEmpty, topic.regions.contains(where: { !tables.trackedRegions.contains($0) }) {
            draft.say(untrackedCountry)
            if !matches.isEmpty {
                draft.say("Where OncoNav does track approvals: \(brandsAndPlaces(matches)).", citing: Prose.unique(matches.flatMap(\.indication.sources)))
            }
        } else if inRegion.isEmpty {
            if topic.regions.isEmpty {
                draft.say("No \(family) is approved for \(cancerName) in \(followedPlaces), where OncoNav follows every approval. Elsewhere it holds only the approvals it could check in the regulator's own documents, so the national regulator or your oncology team can say whether one is approved in another country.")
            } else {
                draft.say("No \(family) is approved for \(cancerName)\(place), according to OncoNav's knowledge base.")
            }
            let elsewhere = matches.filter { !inRegion.contains($0) }
            if !elsewhere.isEmpty {
                draft.say("Elsewhere, \(brandsAndPlaces(elsewhere)).", citing: Prose.unique(elsewhere.flatMap(\.indication.sources)))
            }
        } else {
            let exact = inRegion.filter { knowledge.indication($0.indication, covers: cancer.id) }
            let lead = exact.isEmpty ? "\(topic.yes.isEmpty ? "F" : "Yes, f")or some kinds of \(cancerName): " : topic.yes
            let brands = Prose.unique(inRegion.map(\.product.brand))
            if brands.count > 4 {
                // Many products: their names, and the labels one by one below rather than in one sentence.
                let places = Prose.list(Prose.unique(inRegion.map(\.indication.region)).map(Prose.place))
                draft.say("\(lead)\(brands.count) \(family) products are approved (in \(places)): \(Prose.list(brands.sorted())). Which kind of \(cancerName) each label covers, where and after which treatments is listed below.",
                          citing: Array(Prose.unique(inRegion.flatMap(\.indication.sources)).prefix(8)))
            } else {
                draft.say("\(lead)\(brandsAndPlaces(inRegion)).", citing: Prose.unique(inRegion.flatMap(\.indication.sources)))
            }
            if let region = topic.regions.first(where: { !tables.trackedRegions.contains($0) }) {
                draft.say(partialCoverage(region))
            }
        }
        // Labels written for the wider disease that leave this kind out ("primary CNS
        // lymphoma" under the B-cell lymphoma labels): said, so no one assumes they cover it.
        let approvedIDs = Set(inRegion.map(\.product.id))
        let leftOut = knowledge.products.filter { product in
            topic.modalities.contains(product.modality) && !approvedIDs.contains(product.id) && product.indications.contains { item in
                item.isActive && (topic.regions.isEmpty || topic.regions.contains(item.region))
                    && cancer.parents.contains { parent in item.cancers.contains { knowledge.isA($0, parent) } }
            }
        }
        if !leftOut.isEmpty, let parent = cancer.parents.first.flatMap({ knowledge.cancer(id: $0) }), knowledge.ancestors(of: parent.id).count >= 2 {
            draft.say("The \(family) labels of \(Prose.list(leftOut.map(\.brand).sorted())) for other kinds of \(parent.name.lowercasedName)\(place) do not cover \(cancerName).",
                      citing: Array(Prose.unique(leftOut.flatMap { $0.indications.filter(\.isActive).flatMap(\.sources) }).prefix(4)))
        }
        for match in classApprovals {
            let note = match.evidence.note.map { " \($0)" } ?? ""
            draft.say("Approved for \(cancerName)\(inRegion.isEmpty ? "" : " as well"): \(match.approach.name.lowercasedName).\(note)",
                      citing: match.evidence.sources.isEmpty ? match.approach.sources : match.evidence.sources)
        }
        for match in inRegion.sorted(by: { ($0.product.brand, $0.indication.id) < ($1.product.brand, $1.indication.id) }) {
            listIndications(of: match.product, [match.indication], into: &draft)
        }
        describeEvidence(for: cancer, topic: topic, into: &draft)
    }

    /// "Is CAR-T approved in Japan?": the products of the family approved there.
    func describeApprovals(in regions: [Region], topic: Topic, into draft: inout Draft) {
        for region in regions {
            guard region != .other else {
                draft.say(untrackedCountry)
                continue
            }
            let here = knowledge.products.filter { topic.modalities.contains($0.modality) }.flatMap { product in
                product.indications.filter { $0.isActive && $0.region == region }.map { Approval(product: product, indication: $0) }
            }
            if here.isEmpty {
                if tables.trackedRegions.contains(region) {
                    draft.say("OncoNav's knowledge base lists no approved \(topic.family) in \(Prose.placeAndRegulator(region)).")
                } else {
                    draft.say("OncoNav's knowledge base holds no approval of a \(topic.family) in \(Prose.placeAndRegulator(region)) that it could check in the regulator's own documents or a peer-reviewed report. It does not follow every approval there, so this does not mean there is none: \(region.regulator) or your oncology team can say what is approved and available.")
                }
                continue
            }
            draft.say("\(topic.yes)In \(Prose.place(region)): \(brandsAndPlaces(here, naming: false)).", citing: Prose.unique(here.flatMap(\.indication.sources)))
            if !tables.trackedRegions.contains(region) { draft.say(partialCoverage(region)) }
            for match in here { listIndications(of: match.product, [match.indication], into: &draft) }
        }
    }

    /// A product known from trial reports only: no label the knowledge base could check,
    /// which is not a "no".
    func noCheckedApproval(of product: Product) -> String {
        "OncoNav's knowledge base holds no approval of \(product.brand) (\(product.generic)) that it could check against a regulator's own documents (a label or an approval notice). That does not mean it is not approved: approvals in some countries are not recorded here. The national medicines regulator's register, or your oncology team, can say where it is approved and for whom."
    }

    /// The regions whose approvals the knowledge base follows in full, in words.
    var followedPlaces: String { Prose.list(Region.allCases.filter(tables.trackedRegions.contains).map(Prose.place)) }

    /// After listing what is known in a country not followed in full: there may be more.
    func partialCoverage(_ region: Region) -> String {
        "These are the approvals in \(Prose.place(region)) that OncoNav could check in the regulator's own documents or peer-reviewed reports; it does not follow every approval there, so others may exist. \(region.regulator) or your oncology team can confirm."
    }

    /// For a country whose approvals the knowledge base does not record: which it does.
    var untrackedCountry: String {
        let covered = Region.allCases.filter(tables.trackedRegions.contains)
        return "OncoNav's knowledge base does not fully track approvals in that country, so it cannot say whether a product is approved there; it follows approvals in \(Prose.list(covered.map(Prose.place))). The national medicines regulator, or your oncology team, can say what is available there."
    }

    /// "Kymriah and Yescarta are approved in the US", grouped by product.
    func brandsAndPlaces(_ matches: [Approval], naming places: Bool = true) -> String {
        let brands = Prose.unique(matches.map(\.product.brand))
        let parts = brands.map { brand -> String in
            let regions = Prose.unique(matches.filter { $0.product.brand == brand }.map(\.indication.region))
            let cancers = Prose.unique(matches.filter { $0.product.brand == brand }.flatMap(\.indication.cancers))
                .compactMap { knowledge.cancer(id: $0)?.name.lowercasedName }
            let whereApproved = places ? " is approved in \(Prose.list(regions.map(Prose.place)))" : ""
            return "\(brand)\(whereApproved) for \(Prose.list(cancers))"
        }
        return parts.joined(separator: "; ")
    }

    /// How far each relevant approach has come for the cancer.
    func describeEvidence(for cancer: CancerType, topic: Topic, into draft: inout Draft) {
        // Once something is approved, research stages are for a question about trials or research.
        let research = !Set(topic.understanding.intents).isDisjoint(with: [.trials, .outcomes])
        let relevant = tables.approaches(forCancer: cancer.id).filter {
            topic.modalities.contains($0.approach.modality) && ($0.stage == .approved || !topic.hasApproval || research)
        }
        for match in relevant {
            let sources = match.evidence.sources.isEmpty ? match.approach.sources : match.evidence.sources
            let note = match.evidence.note.map { " \($0)" } ?? ""
            draft.bullet(.currentStatus, "Current status",
                         "\(match.approach.name) for \(cancer.name.lowercasedName): \(match.stage.displayName.lowercasedName).\(note)",
                         citing: sources)
            if match.stage < .approved, topic.modalitiesNamed, !topic.hasApproval, match.approach.id == relevant.first?.approach.id {
                draft.say("For \(cancer.name.lowercasedName), \(match.approach.name.lowercasedName) \(Prose.progress(match.stage)).",
                          citing: sources)
            }
        }
    }

    /// "How does CAR-T work?" with no cancer or product named.
    func describeApproaches(topic: Topic, into draft: inout Draft) {
        guard let first = topic.approaches.first else { return }
        if topic.understanding.intents.contains(.sideEffects), !first.risks.isEmpty {
            draft.say("Known risks of \(first.name.lowercasedName): \(Prose.list(first.risks.map(\.lowercasedName))).", citing: first.sources)
        } else {
            draft.say(first.summary, citing: first.sources)
        }
        guard topic.understanding.intents.contains(.approval) else { return }
        for approach in topic.approaches.prefix(3) {
            let approved = approach.evidence.filter { $0.stage == .approved }
            for statement in approved {
                let cancers = Prose.list(statement.cancers.compactMap { knowledge.cancer(id: $0)?.name.lowercasedName })
                let note = statement.note.map { " \($0)" } ?? ""
                draft.bullet(.currentStatus, "Current status", "\(approach.name) is approved for \(cancers).\(note)",
                             citing: statement.sources.isEmpty ? approach.sources : statement.sources)
            }
        }
    }
}

extension String {
    /// A name as it reads mid-sentence: "Lung cancer" → "lung cancer", but "B-cell …",
    /// "DLBCL" and "Hodgkin" keep their capitals.
    var lowercasedName: String {
        guard let first = first, first.isUppercase else { return self }
        let firstWord = prefix { $0 != " " }
        let firstPart = firstWord.prefix { $0 != "-" }
        if firstWord.dropFirst().contains(where: \.isUppercase) || firstPart.count == 1 { return self }
        return first.lowercased() + dropFirst()
    }
}

/// One active label indication of one product.
struct Approval: Hashable {
    var product: Product
    var indication: LabelIndication
}
