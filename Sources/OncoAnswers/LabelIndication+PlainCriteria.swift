import OncoKnowledge

extension LabelIndication {
    /// The label's structured criteria as one plain sentence for patients ("for follicular
    /// lymphoma, that came back or did not respond to treatment, after at least 2 earlier
    /// lines of treatment, age 18 or older."), followed by any free-text criteria.
    public func plainCriteria(in kb: KnowledgeBase) -> String {
        var parts = ["for " + Prose.list(cancers.compactMap { kb.cancer(id: $0)?.name.lowercasedName })]
        if let phrase = diseaseStatus.plainPhrase { parts.append(phrase) }
        if let lines = minPriorLines { parts.append("after at least \(lines) earlier line\(lines == 1 ? "" : "s") of treatment") }
        switch (ageMin, ageMax) {
        case let (low?, high?): parts.append("age \(low) to \(high)")
        case let (low?, nil): parts.append("age \(low) or older")
        case let (nil, high?): parts.append("up to age \(high)")
        case (nil, nil): break
        }
        if let relapse, let phrase = relapse.plainPhrase { parts.append(phrase) }
        let states = diseaseStates.map(\.plainPhrase)
        if !states.isEmpty { parts.append("when the cancer is " + Prose.list(states)) }
        for rule in conditionalPriorTherapy {
            let marker = kb.biomarker(id: rule.ifBiomarker)?.name ?? rule.ifBiomarker
            let classes = rule.classes.map { id in kb.content.drugClasses.first { $0.id == id }?.name ?? id }
            parts.append("with a \(marker) result, after \(Prose.list(classes))")
        }
        if excludesPriorSameTargetCellTherapy == true { parts.append("not after an earlier cell therapy against the same target") }
        if transplant == .ineligible { parts.append("for people who cannot have a stem cell transplant") }
        if !hla.isEmpty { parts.append("only for people with tissue type \(Prose.list(hla))") }
        // HLA requirements are already stated above; other markers are tests of the tumour.
        let markers = biomarkers.compactMap { requirement -> String? in
            guard let marker = kb.biomarker(id: requirement.biomarker), hla.isEmpty || !marker.id.hasPrefix("hla") else { return nil }
            return "\(marker.name) \(requirement.status)"
        }
        if !markers.isEmpty { parts.append("test result needed: \(Prose.list(markers))") }
        let sentence = parts.joined(separator: ", ") + "."
        return additionalCriteria.isEmpty ? sentence : sentence + " Also: " + additionalCriteria.joined(separator: " ")
    }
}

extension DiseaseStatus {
    /// The disease state in everyday words; nil when the label sets none.
    public var plainPhrase: String? {
        switch self {
        case .relapsed: "that came back"
        case .refractory: "that did not respond to treatment"
        case .relapsedOrRefractory: "that came back or did not respond to treatment"
        case .any: nil
        }
    }
}

extension RelapseRequirement {
    /// "that did not respond to treatment, has relapsed after a stem cell transplant, or is in
    /// second or later relapse": the label's routes in everyday words.
    public var plainPhrase: String? {
        var routes: [String] = routes.map {
            switch $0 {
            case .refractory: "that did not respond to treatment"
            case .relapseAfterTransplant: "that relapsed after a stem cell transplant"
            }
        }
        if let count = minRelapses {
            routes.append(count >= 2 ? "that has come back \(count == 2 ? "at least twice (second or later relapse)" : "at least \(count) times")"
                                     : "that has come back")
        }
        guard !routes.isEmpty else { return nil }
        return routes.count == 1 ? routes[0] : routes.dropLast().joined(separator: ", ") + ", or " + routes.last!
    }
}

extension RequiredDiseaseState {
    /// The state in everyday words.
    public var plainPhrase: String {
        switch self {
        case .metastatic: "metastatic (has spread)"
        case .unresectableOrMetastatic: "unresectable or metastatic"
        case .castrationResistant: "castration-resistant"
        case .bcgUnresponsive: "BCG-unresponsive"
        case .minimallySymptomatic: "causing few or no symptoms"
        case .advanced: "locally advanced or metastatic"
        case .carcinomaInSitu: "carcinoma in situ"
        case .injectableLesions: "in lesions that can be injected"
        }
    }
}
