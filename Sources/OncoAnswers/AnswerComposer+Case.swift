import OncoKnowledge

/// The part of an answer written for the asker's own case.
extension AnswerComposer {
    func personalise(_ context: CaseContext, topic: Topic, into draft: inout Draft) {
        let title = "For your case"
        let diagnosis = context.diagnosisName ?? context.cancerID.flatMap { knowledge.cancer(id: $0)?.name } ?? "your diagnosis"
        var situation = diagnosis
        if let lines = context.linesOfTherapy { situation += " after \(lines) line\(lines == 1 ? "" : "s") of therapy" }
        if context.relapsedOrRefractory == true { situation += " that came back or did not respond" }

        if context.usedValues.isEmpty {
            draft.paragraph(.yourCase, title, "Your record has no confirmed values yet, so this part rests on nothing from your documents.")
        } else {
            draft.paragraph(.yourCase, title, "Based on your confirmed record: \(context.usedValues.joined(separator: "; ")).")
        }
        if context.pendingValues > 0 {
            draft.paragraph(.yourCase, title, "\(context.pendingValues) value\(context.pendingValues == 1 ? "" : "s") read from your documents \(context.pendingValues == 1 ? "is" : "are") not confirmed yet and \(context.pendingValues == 1 ? "was" : "were") not used; the options page shows them marked pending. Review them to include them.")
        }
        // Only labels for the case's own confirmed cancer: without one, nothing "fits your diagnosis".
        let fits = context.cancerID.map { cancerID in
            context.fittingLabels.filter { label in
                (topic.regions.isEmpty || topic.regions.contains(label.region))
                    && knowledge.product(id: label.productID)?.indications.first { $0.id == label.indicationID }
                        .map { knowledge.indication($0, covers: cancerID) } == true
            }
        } ?? []
        if context.cancerID == nil {
            draft.paragraph(.yourCase, title, "Your record has no confirmed diagnosis yet, so OncoNav's label check found no approved label that fits it. Confirm the diagnosis on the review page and ask again.")
        } else if fits.isEmpty {
            draft.paragraph(.yourCase, title, "For \(situation), OncoNav's label check found no approved label that fits with what is known so far.")
        }
        for region in Prose.unique(fits.map(\.region)) {
            let here = fits.filter { $0.region == region }
            let names = here.compactMap { fit -> String? in
                guard let product = knowledge.product(id: fit.productID),
                      let item = product.indications.first(where: { $0.id == fit.indicationID }) else { return nil }
                let note = fit.allCriteriaMet ? "" : " (some criteria still unknown)"
                draft.bullet(.yourCase, title, "\(product.brand), \(Prose.place(region)): \(item.summary)\(note)",
                             citing: item.sources.isEmpty ? product.sources : item.sources)
                return product.brand
            }
            guard !names.isEmpty else { continue }
            draft.paragraph(.yourCase, title, "For \(situation), these approved products' labels in \(Prose.place(region)) fit what is known: \(Prose.list(names)).")
        }
        var unknown = context.unknowns
        if context.linesOfTherapy == nil { unknown.append("the number of earlier lines of therapy") }
        if context.age == nil { unknown.append("age") }
        if context.cancerID == nil { unknown.append("a confirmed diagnosis") }
        if !unknown.isEmpty {
            draft.paragraph(.yourCase, title, "These items are unknown, so OncoNav could not decide on them: \(Prose.list(unknown)). Your oncology team can help fill them in.")
        }
        if let asked = topic.understanding.cancerIDs.first, let confirmed = context.cancerID, !knowledge.isA(confirmed, asked), !knowledge.isA(asked, confirmed) {
            draft.paragraph(.yourCase, title, "Your question is about a different cancer from the diagnosis in your case, so the labels above may not apply to it.")
        }
    }
}
