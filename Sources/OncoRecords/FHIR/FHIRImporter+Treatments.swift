import Foundation

extension FHIRImporter {
    /// MedicationStatement / MedicationRequest / MedicationAdministration → one treatment-line
    /// fact per resource (grouping drugs into regimens is left to the person reviewing), or a
    /// prior cell therapy when the medication is a CAR-T product.
    func importMedication(_ context: ResourceContext, into sink: inout ImportSink) {
        context.requireElement("status", into: &sink)
        let status = context["status"]?.string
        if status == "entered-in-error" || status == "cancelled" {
            sink.issue(.information, context.location, context.reference, "status \(status!); not imported")
            return
        }
        var medication: JSONValue? = context["medicationCodeableConcept"]
        let referenceDisplay = context["medicationReference"]?["display"]?.string
        if medication == nil, let reference = context["medicationReference"]?["reference"]?.string {
            // A Medication in the same Bundle, or contained in this resource ("#med1").
            let contained = context["contained"]?.list.first { "#" + ($0["id"]?.string ?? "") == reference }
            medication = (sink.medications[reference] ?? contained)?["code"]
        }
        guard let name = medication?.conceptText ?? referenceDisplay else {
            let detail = context["medicationReference"] != nil
                ? "\"medicationReference\" points to no Medication in this Bundle and has no display"
                : "required element \"\(context.type).medication[x]\" is missing"
            sink.issue(.error, context.location, context.reference, "\(detail); not imported")
            return
        }
        let display = cleanDisplay(name)
            .replacingOccurrences(of: #"\s+\d+(\.\d+)?\s*(MG|MCG|ML|G)\b.*$"#, with: "", options: [.regularExpression, .caseInsensitive])
        let codes = medication?.codings.compactMap(\.token) ?? []
        let start = context.date(["effectiveDateTime", "effectivePeriod", "occurrenceDateTime", "occurrencePeriod", "authoredOn"])
        let end = context["effectivePeriod"]?["end"]?.string.flatMap(ClinicalDate.init(iso:))
            ?? context["occurrencePeriod"]?["end"]?.string.flatMap(ClinicalDate.init(iso:))
        let negated = status == "not-taken" || context["notGiven"]?.bool == true
        let element = context["medicationCodeableConcept"] != nil ? "medicationCodeableConcept" : "medicationReference"

        if let product = lexicon.firstMention(in: display, kinds: [.cellTherapyProduct]) {
            let therapy = PriorCellTherapy(product: CodedText(conceptID: product.conceptID, text: product.displayName, codes: codes),
                                           target: product.target, date: start)
            sink.add(.priorCellTherapy(context.fact(therapy, element: element, negated: negated)))
            return
        }
        let lower = display.lowercased()
        if lower.contains("chimeric antigen receptor") || lower.contains("car-t") || lower.contains("car t-cell") {
            let target = lexicon.firstMention(in: display, kinds: [.biomarker])?.displayName
            sink.add(.priorCellTherapy(context.fact(PriorCellTherapy(target: target, date: start), element: element, negated: negated)))
            return
        }
        let drugEntry = lexicon.lookup(display, kinds: [.drug]) ?? lexicon.firstMention(in: display, kinds: [.drug])
        let regimenEntry = lexicon.lookup(display, kinds: [.regimen])
        var line = TreatmentLine(kind: .systemic, startDate: start, endDate: end)
        if let regimenEntry {
            line.regimen = CodedText(conceptID: regimenEntry.conceptID, text: display, codes: codes)
        } else {
            line.drugs = [CodedText(conceptID: drugEntry?.conceptID, text: display, codes: codes)]
        }
        sink.add(.treatmentLine(context.fact(line, element: element, negated: negated)))
    }

    /// Procedure → radiation or surgery treatment line, stem-cell transplant, or CAR-T infusion.
    func importProcedure(_ context: ResourceContext, into sink: inout ImportSink) {
        guard let code = context["code"], let name = code.conceptText else {
            sink.issue(.error, context.location, context.reference, "required element \"Procedure.code\" is missing; the procedure was skipped")
            return
        }
        context.requireElement("status", into: &sink)
        let status = context["status"]?.string
        if status == "entered-in-error" {
            sink.issue(.information, context.location, context.reference, "entered-in-error; not imported")
            return
        }
        let negated = status == "not-done"
        let display = cleanDisplay(name)
        let lower = display.lowercased()
        let date = context.date(["performedDateTime", "performedPeriod"])
        let end = context["performedPeriod"]?["end"]?.string.flatMap(ClinicalDate.init(iso:))
        let codes = code.codings.compactMap(\.token)
        let resource = context.resource

        if lower.contains("chimeric antigen receptor") || lower.contains("car-t") || lower.contains("car t")
            || lexicon.firstMention(in: display, kinds: [.cellTherapyProduct]) != nil {
            let product = lexicon.firstMention(in: display, kinds: [.cellTherapyProduct])
            let therapy = PriorCellTherapy(product: product.map { CodedText(conceptID: $0.conceptID, text: $0.displayName) },
                                           target: product?.target, date: date)
            sink.add(.priorCellTherapy(context.fact(therapy, element: "code", negated: negated)))
        } else if lower.contains("transplant") && (lower.contains("stem cell") || lower.contains("marrow")
                    || lower.contains("hematopoietic") || lower.contains("haematopoietic") || lower.contains("progenitor")) {
            let kind: Transplant.Kind = lower.contains("autologous") ? .autologous
                : (lower.contains("allogeneic") || lower.contains("allogenic")) ? .allogeneic : .unspecified
            sink.add(.transplant(context.fact(Transplant(kind: kind, date: date), element: "code", negated: negated)))
        } else if resource.hasProfile(containing: "radiation-procedure") || lower.contains("radiation") || lower.contains("radiotherapy")
                    || lower.contains("brachytherapy") {
            let line = TreatmentLine(kind: .radiation, regimen: CodedText(text: display, codes: codes), startDate: date, endDate: end)
            sink.add(.treatmentLine(context.fact(line, element: "code", negated: negated)))
        } else if resource.hasProfile(containing: "surgical-procedure") || resource.hasProfile(containing: "cancer-related-surgical") {
            let line = TreatmentLine(kind: .surgery, regimen: CodedText(text: display, codes: codes), startDate: date, endDate: end)
            sink.add(.treatmentLine(context.fact(line, element: "code", negated: negated)))
        } else {
            sink.issue(.information, context.location, context.reference,
                       "procedure \"\(display)\" is not a cancer treatment the profile records; not imported")
        }
    }
}
