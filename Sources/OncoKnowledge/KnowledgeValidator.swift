/// Checks a loaded knowledge base: ids unique, references resolve, every factual item
/// sourced and reviewed, sources complete, nothing stale.
public struct KnowledgeValidator: Sendable {
    /// Items last reviewed more than this many months before `today` are stale.
    public var staleAfterMonths: Int
    public var today: Day

    public init(today: Day = .today(), staleAfterMonths: Int = 18) {
        self.today = today
        self.staleAfterMonths = staleAfterMonths
    }

    /// Every issue, errors first, then by file.
    public func validate(_ kb: KnowledgeBase) -> [KnowledgeIssue] {
        var run = Run(kb: kb, today: today, staleBefore: today.subtracting(months: staleAfterMonths))
        run.issues = kb.loadIssues
        run.checkSources()
        run.checkItems()
        run.checkOntology()
        run.checkReferences()
        run.checkProducts()
        return run.issues.enumerated().sorted {
            ($0.element.severity, $1.element.file ?? "", $1.offset) > ($1.element.severity, $0.element.file ?? "", $0.offset)
        }.map(\.element)
    }

    /// One validation pass; collects issues as it goes.
    struct Run {
        let kb: KnowledgeBase
        let today: Day
        let staleBefore: Day
        var issues: [KnowledgeIssue] = []

        mutating func report(_ severity: KnowledgeIssue.Severity, _ kind: ItemKind, _ position: Int, _ id: String?, _ message: String) {
            issues.append(KnowledgeIssue(severity: severity, file: kb.file(of: kind, at: position), kind: kind, itemID: id, message: message))
        }

        mutating func checkSources() {
            checkDuplicates(kb.sources.map(\.id), kind: .source)
            for (i, source) in kb.sources.enumerated() {
                for (field, value) in [("title", source.title), ("publisher", source.publisher), ("url", source.url)]
                where value.trimmingCharacters(in: .whitespaces).isEmpty {
                    report(.error, .source, i, source.id, "source has an empty \(field)")
                }
                if !(source.url.hasPrefix("https://") || source.url.hasPrefix("http://")) {
                    report(.error, .source, i, source.id, "url '\(source.url)' is not an http(s) address")
                }
                if let accessed = source.accessed {
                    if accessed > today { report(.error, .source, i, source.id, "accessed date \(accessed) is in the future") }
                } else {
                    report(.error, .source, i, source.id, "source has no accessed date")
                }
            }
        }

        mutating func checkItems() {
            check(kb.cancers, .cancer)
            check(kb.biomarkers, .biomarker)
            check(kb.drugClasses, .drugClass)
            check(kb.drugs, .drug)
            check(kb.regimens, .regimen)
            check(kb.approaches, .approach)
            check(kb.products, .product)
            check(kb.content.safety, .safety)
            check(kb.content.journey, .journey)
            check(kb.content.landscapes, .landscape)
            check(kb.content.glossary, .glossary)
            check(kb.content.faq, .faq)
            checkDuplicates(kb.products.flatMap { $0.indications.map(\.id) }, kind: .indication)
        }

        /// Ids unique; at least one source that exists; a review date, not in the future, not stale.
        mutating func check<T: Sourced>(_ items: [T], _ kind: ItemKind) {
            checkDuplicates(items.map(\.id), kind: kind)
            for (i, item) in items.enumerated() {
                if !isKebabCase(item.id) { report(.error, kind, i, item.id, "id must be kebab-case (a-z, 0-9, '-')") }
                if item.sources.isEmpty { report(.error, kind, i, item.id, "no sources: every factual item needs at least one") }
                checkSourceIDs(item.sources, kind, i, item.id)
                guard let reviewed = item.reviewed else {
                    report(.error, kind, i, item.id, "no 'reviewed' date")
                    continue
                }
                if reviewed > today {
                    report(.error, kind, i, item.id, "reviewed date \(reviewed) is in the future")
                } else if reviewed < staleBefore {
                    report(.warning, kind, i, item.id, "stale: last reviewed \(reviewed), more than 18 months before \(today)")
                }
            }
        }

        mutating func checkSourceIDs(_ ids: [SourceID], _ kind: ItemKind, _ i: Int, _ id: String) {
            for source in ids where kb.source(id: source) == nil {
                report(.error, kind, i, id, "unknown source '\(source)'")
            }
        }

        mutating func checkDuplicates(_ ids: [String], kind: ItemKind) {
            var seen: [String: Int] = [:]
            for (i, id) in ids.enumerated() {
                if let first = seen[id] {
                    let firstFile = kb.file(of: kind, at: first).map { " (first in \($0))" } ?? ""
                    report(.error, kind, i, id, "duplicate \(kind.rawValue) id '\(id)'\(firstFile)")
                } else {
                    seen[id] = i
                }
            }
        }

        mutating func checkOntology() {
            for (i, cancer) in kb.cancers.enumerated() {
                for parent in cancer.parents where kb.cancer(id: parent) == nil {
                    report(.error, .cancer, i, cancer.id, "unknown parent cancer '\(parent)'")
                }
                if kb.ancestors(of: cancer.id).contains(cancer.id) || cancer.parents.contains(cancer.id) {
                    report(.error, .cancer, i, cancer.id, "the parent chain loops back to this cancer")
                }
            }
            var owners: [String: Set<String>] = [:]
            for cancer in kb.cancers {
                for term in [cancer.name] + cancer.synonyms { owners[TextMatching.normalize(term), default: []].insert(cancer.id) }
            }
            for (i, cancer) in kb.cancers.enumerated() {
                for term in [cancer.name] + cancer.synonyms {
                    let ids = owners[TextMatching.normalize(term)] ?? []
                    if ids.count > 1, ids.sorted().first == cancer.id {
                        report(.warning, .cancer, i, cancer.id, "name '\(term)' is shared by \(ids.sorted().joined(separator: ", "))")
                    }
                }
            }
        }

        mutating func checkReferences() {
            for (i, drug) in kb.drugs.enumerated() {
                for c in drug.classes where kb.drugClass(id: c) == nil { report(.error, .drug, i, drug.id, "unknown drug class '\(c)'") }
            }
            for (i, regimen) in kb.regimens.enumerated() {
                if regimen.drugs.isEmpty { report(.error, .regimen, i, regimen.id, "regimen lists no drugs") }
                for d in regimen.drugs where kb.drug(id: d) == nil { report(.error, .regimen, i, regimen.id, "unknown drug '\(d)'") }
                for c in regimen.usedIn where kb.cancer(id: c) == nil { report(.error, .regimen, i, regimen.id, "unknown cancer '\(c)'") }
            }
            for (i, approach) in kb.approaches.enumerated() {
                for statement in approach.evidence {
                    for c in statement.cancers where kb.cancer(id: c) == nil {
                        report(.error, .approach, i, approach.id, "evidence names unknown cancer '\(c)'")
                    }
                    checkSourceIDs(statement.sources, .approach, i, approach.id)
                }
                for r in approach.related where kb.approach(id: r) == nil {
                    report(.error, .approach, i, approach.id, "unknown related approach '\(r)'")
                }
            }
            var orders: Set<Int> = []
            for (i, step) in kb.content.journey.enumerated() {
                if !orders.insert(step.order).inserted { report(.error, .journey, i, step.id, "order \(step.order) is used twice") }
                if let d = step.duration, d.minDays > d.maxDays || d.minDays < 0 {
                    report(.error, .journey, i, step.id, "duration minDays must be between 0 and maxDays")
                }
            }
            for (i, landscape) in kb.content.landscapes.enumerated() where kb.cancer(id: landscape.cancer) == nil {
                report(.error, .landscape, i, landscape.id, "unknown cancer '\(landscape.cancer)'")
            }
            let knownIDs = Set(kb.approaches.map(\.id) + kb.content.glossary.map(\.id) + kb.content.safety.map(\.id)
                + kb.content.faq.map(\.id) + kb.content.journey.map(\.id) + kb.products.map(\.id))
            for (i, faq) in kb.content.faq.enumerated() {
                for r in faq.related where !knownIDs.contains(r) { report(.error, .faq, i, faq.id, "unknown related item '\(r)'") }
            }
        }

        mutating func checkProducts() {
            for (i, product) in kb.products.enumerated() {
                // A product known from trial reports only keeps its facts; with neither, it says nothing.
                if product.indications.isEmpty, product.facts.isEmpty { report(.warning, .product, i, product.id, "product has no indications and no facts") }
                for item in product.indications {
                    let at = "indication \(item.id): "
                    if item.cancers.isEmpty { report(.error, .product, i, product.id, at + "covers no cancers") }
                    for c in item.cancers + item.excludedCancers where kb.cancer(id: c) == nil {
                        report(.error, .product, i, product.id, at + "unknown cancer '\(c)'")
                    }
                    for c in item.requiredPriorTherapyClasses where kb.drugClass(id: c) == nil {
                        report(.error, .product, i, product.id, at + "unknown drug class '\(c)'")
                    }
                    for c in item.refractoryTo where kb.drugClass(id: c) == nil && kb.drug(id: c) == nil {
                        report(.error, .product, i, product.id, at + "unknown drug or drug class '\(c)'")
                    }
                    for rule in item.conditionalPriorTherapy {
                        if kb.biomarker(id: rule.ifBiomarker) == nil { report(.error, .product, i, product.id, at + "unknown biomarker '\(rule.ifBiomarker)'") }
                        for c in rule.classes where kb.drugClass(id: c) == nil { report(.error, .product, i, product.id, at + "unknown drug class '\(c)'") }
                    }
                    for b in item.biomarkers where kb.biomarker(id: b.biomarker) == nil {
                        report(.error, .product, i, product.id, at + "unknown biomarker '\(b.biomarker)'")
                    }
                    if let low = item.ageMin, let high = item.ageMax, low > high {
                        report(.error, .product, i, product.id, at + "ageMin \(low) is above ageMax \(high)")
                    }
                    if let date = item.approvalDate, date > today {
                        report(.error, .product, i, product.id, at + "approval date \(date) is in the future")
                    }
                    if item.sources.isEmpty && product.sources.isEmpty {
                        report(.error, .product, i, product.id, at + "no sources")
                    }
                    checkSourceIDs(item.sources, .product, i, product.id)
                }
                for (j, fact) in product.facts.enumerated() {
                    let at = "facts[\(j)] (\(fact.aspect.rawValue)): "
                    if fact.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        report(.error, .product, i, product.id, at + "empty text")
                    }
                    if fact.sources.isEmpty { report(.error, .product, i, product.id, at + "no sources: every fact needs its own") }
                    checkSourceIDs(fact.sources, .product, i, product.id)
                    if let date = fact.reviewed, date > today { report(.error, .product, i, product.id, at + "reviewed date \(date) is in the future") }
                }
            }
        }

        private func isKebabCase(_ id: String) -> Bool {
            !id.isEmpty && id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
                && !id.hasPrefix("-") && !id.hasSuffix("-")
        }
    }
}

extension KnowledgeBase {
    /// Runs `KnowledgeValidator` with the given `today`.
    public func validate(today: Day = .today()) -> [KnowledgeIssue] {
        KnowledgeValidator(today: today).validate(self)
    }
}
