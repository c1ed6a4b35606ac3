import Foundation

/// A labelled stretch of criterion text, as character (Unicode scalar) offsets, half-open.
public struct LabelledSpan: Sendable, Hashable, CustomStringConvertible {
    public var label: String
    public var range: Range<Int>
    public init(label: String, range: Range<Int>) {
        self.label = label
        self.range = range
    }
    public var description: String { "\(range.lowerBound)..<\(range.upperBound):\(label)" }
}

/// The entity layer under the constraint extractor, exposed so it can be measured:
/// bounds (`lower_bound`, `upper_bound`), the variable they bound (`clinical_variable`),
/// `age`, `cancer`, `gender` and `pregnancy` mentions. Labels follow the
/// Clinical-Trial-Parser scheme used by `criteria-lines/dev.tsv`.
public struct CriterionSpanTagger: Sendable {
    public var lexicon: ConceptLexicon

    public init(lexicon: ConceptLexicon = .oncologyDefault) {
        self.lexicon = lexicon
    }

    static let variablePattern = try! NSRegularExpression(pattern: #"""
        (?:(?:serum|total|direct|calculated|measured|estimated|corrected|fasting|resting|blood|plasma|urine|cardiac|office)\s+){0,2}(?:
        creatinine\*{0,2}\s+clearance|creatinine|(?:glomerular\s+filtration\s+rate|\bgfr\b)|\begfr\b|bilirubin|albumin|
        h(?:a)?emoglobin(?:\s+a1c)?|\bhg?b\b|\bhba1c\b|platelets?(?:\s+count)?|\bplt\b|\banc\b|absolute\s+(?:neutrophil|lymphocyte)\s+count|
        neutrophils?(?:\s+count)?|lymphocytes?(?:\s+count)?|leukocytes?(?:\s+count)?|\bwbc\b|white\s+blood\s+cells?(?:\s+count)?|
        \bast\b|\balt\b|\bsgot\b|\bsgpt\b|(?:aspartate|alanine)\s+(?:amino)?trans(?:aminase|ferase)|transaminases?|
        serum\s+glut\w+\s+\w+\s+transaminase|alkaline\s+phosphatase|\balp\b|\binr\b|international\s+normali[sz]ed\s+ratio|
        \bptt?\b|\baptt\b|prothrombin\s+time|(?:left\s+ventricular\s+)?ejection\s+fraction|\blvef\b|\bfev1\b|\bdlco\b|\bfvc\b|
        oxygen\s+saturation|\bspo2\b|(?:systolic|diastolic)\s+(?:blood\s+)?pressure|blood\s+pressure|heart\s+rate|\bqtc?f?\b(?:\s+interval)?|
        (?:blood\s+|serum\s+|fasting\s+)?glucose|\bsbp\b|\bdbp\b|systolic\s+bp|\bbp\b|pulse\s+rate|bicarbonate|\bs?cr\b|visual\s+acuity|\bsao2\b|pulse\s+oximetry|\bhcg\b|β-hcg|potassium|sodium|calcium|magnesium|phosphate|phosphorus|uric\s+acid|lipase|amylase|cholesterol|triglycerides|\bldl\b|\bhdl\b|
        \btsh\b|testosterone|\bpsa\b|cd4\+?(?:\s+(?:t[- ]cell\s+)?count)?|viral\s+load|body\s+weight|
        life\s+expectancy|(?:ecog|eastern\s+cooperative\s+oncology\s+group|zubrod|who)(?:\s*\(\s*ecog\s*\))?\s+performance\s+(?:status|score)(?:\s+score)?|
        \becog\b|karnofsky(?:\s+performance\s+(?:status|score))?|\bkps\b|lansky(?:\s+(?:play\s+)?(?:performance\s+)?(?:status|score))?|
        performance\s+status|new\s+york\s+heart\s+association(?:\s+class)?|\bnyha\b|child[- ]pugh(?:\s+score)?|gestational\s+age|
        diameter|tumou?r\s+size|urine\s+protein|proteinuria|hematocrit|ferritin|ldh|lactate\s+dehydrogenase|\bbun\b|
        blood\s+urea\s+nitrogen|troponin|bnp|fibrinogen|d-dimer|\bctcae\b(?:\s+v\s*(?:@number|\d+))?(?:\s+grade)?
        )(?:\s*[(\[]\s*[a-z0-9\s/-]{2,12}\s*[)\]])?
        """#, options: [.caseInsensitive, .allowCommentsAndWhitespace])

    /// Any measured quantity named just before a bound: "meld score ≥ 15", "osmolality levels of > 300".
    static let genericVariablePattern = try! NSRegularExpression(pattern:
        #"\b((?:[a-z][\w'-]*\s+){0,3}(?:score|scale|index|levels?|activity|distance|duration|concentration|ratio|volume|titer|titre|weight|weigh|crcl|clcr|meld|rate|size|saturation|pressure))(?:\s*\([^)]{1,20}\))?(?=\s*(?:of\s+|score\s+|is\s+|was\s+|more\s+than\s+|less\s+than\s+)?(?:≥|≤|<|>|=|greater|less|more|at\s+least|below|above|@number|\d))"#,
        options: [.caseInsensitive])

    static let agePattern = try! NSRegularExpression(pattern: #"\b(?:age[ds]?)\b"#, options: [.caseInsensitive])
    static let cancerPattern = try! NSRegularExpression(pattern:
        #"\b(?:(?:non-?melanoma\s+skin|basal\s+cell|squamous\s+cell|small[- ]cell|non-?small[- ]cell(?:\s+lung)?|breast|prostate|lung|colorectal|colon|rectal|pancreatic|ovarian|cervical|gastric|bladder|renal|thyroid|skin|solid|hematologic(?:al)?|second|metastatic|primary|brain|liver|bone|leptomeningeal)\s+)?(?:cancers?|carcinomas?(?:\s+in\s+situ)?|adenocarcinomas?|lymphomas?|leuka?emias?|tumou?rs?|malignan(?:cy|cies)|melanomas?|sarcomas?|neoplasms?|neoplasia|myelomas?|gliomas?|glioblastomas?|blastomas?|metastas[ie]s|metastatic\s+disease|leptomeningeal\s+disease|mesotheliomas?|myelodysplastic\s+syndromes?)\b|\b(?:nsclc|sclc|aml|cml|cll|mds|hcc|rcc|crc|gbm|dlbcl|mcl|nhl|scchn|hnscc|tnbc|dcis)\b|\b(?!(?:glaucoma|hematoma|haematoma|stoma|coma|diploma|aroma|granuloma|trachoma|scotoma|atheroma|lymphoma|carcinoma|melanoma|sarcoma|myeloma|glioma|blastoma|adenoma|mesothelioma)\b)[a-z]{4,}omas?\b"#,
        options: [.caseInsensitive])
    static let genderPattern = try! NSRegularExpression(pattern: #"\b(?:women|woman|men|man|males?|females?|boys?|girls?)\b"#, options: [.caseInsensitive])
    static let pregnancyPattern = try! NSRegularExpression(pattern: #"\b(?:non-?)?pregnan(?:t|cy)\b|\bbreast[- ]?feeding\b|\blactating\b|\bnursing\b"#, options: [.caseInsensitive])

    /// Spans found in `text`, as Unicode-scalar offsets.
    public func tag(_ text: String) -> [LabelledSpan] {
        let ns = text as NSString
        let full = NSRange(location: 0, length: ns.length)
        var spans: [(String, NSRange)] = []
        for q in QuantityFinder.find(in: text) {
            spans.append((q.side == .lower ? "lower_bound" : "upper_bound", q.range))
        }
        var variables = Self.variablePattern.matches(in: text, range: full).map(\.range)
        for m in Self.genericVariablePattern.matches(in: text, range: full) {
            let r = m.range(at: 1)
            let phrase = ns.substring(with: r).lowercased()
            if phrase.hasPrefix("age") || phrase.contains("years") { continue }
            if !variables.contains(where: { NSIntersectionRange($0, r).length > 0 }) { variables.append(r) }
        }
        for r in variables { spans.append(("clinical_variable", r)) }
        for m in Self.agePattern.matches(in: text, range: full) {
            // "gestational age", "child-bearing age" are not a person's age limit.
            if variables.contains(where: { NSIntersectionRange($0, m.range).length > 0 }) { continue }
            let before = ns.substring(to: m.range.location).lowercased()
            if before.hasSuffix("bearing ") || before.hasSuffix("child bearing ") || before.hasSuffix("reproductive ") { continue }
            spans.append(("age", m.range))
        }
        var cancerRanges = Self.cancerPattern.matches(in: text, range: full).map(\.range)
        for match in lexicon.matches(in: text, kinds: [.cancer]) {
            let r = NSRange(match.range, in: text)
            if !cancerRanges.contains(where: { NSIntersectionRange($0, r).length > 0 }) { cancerRanges.append(r) }
        }
        for r in cancerRanges { spans.append(("cancer", r)) }
        for m in Self.genderPattern.matches(in: text, range: full) { spans.append(("gender", m.range)) }
        for m in Self.pregnancyPattern.matches(in: text, range: full) { spans.append(("pregnancy", m.range)) }
        let scalars = Self.scalarOffsets(text)
        return spans.map { LabelledSpan(label: $0.0, range: scalars($0.1.location)..<scalars($0.1.location + $0.1.length)) }
            .sorted { ($0.range.lowerBound, $0.label) < ($1.range.lowerBound, $1.label) }
    }

    /// Converts UTF-16 offsets to Unicode-scalar offsets.
    static func scalarOffsets(_ text: String) -> (Int) -> Int {
        if text.utf16.count == text.unicodeScalars.count { return { $0 } }
        var table: [Int] = []
        table.reserveCapacity(text.utf16.count + 1)
        var scalarIndex = 0
        for scalar in text.unicodeScalars {
            for _ in 0..<scalar.utf16.count { table.append(scalarIndex) }
            scalarIndex += 1
        }
        table.append(scalarIndex)
        return { table[min(max(0, $0), table.count - 1)] }
    }
}
