import Foundation

/// The ontology knowledge OncoRecords needs, injected as a value so this module does not
/// depend on how the knowledge base is stored. The lead fills it from OncoKnowledge:
///
/// ```swift
/// let lexicon = ClinicalLexicon(entries: knowledgeBase.cancerTypes.flatMap { type in
///     ([type.name] + type.synonyms).map { .init(term: $0, conceptID: type.id, kind: .cancer) }
/// } + …).merging(.builtIn)   // or without the built-in default
/// ```
///
/// `builtIn` is a small English default (haematological malignancies, common solid
/// tumours, regimens, CAR-T products, biomarkers) so the module works standalone; its
/// concept ids are kebab-case slugs that the knowledge base is expected to share.
public struct ClinicalLexicon: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case cancer
        /// Histological subtype or morphology ("germinal center B-cell type").
        case histology
        case drug
        /// A named regimen; `components` lists its drugs' concept ids.
        case regimen
        /// A CAR-T (or other engineered cell therapy) product; `target` is its antigen.
        case cellTherapyProduct = "cell-therapy-product"
        /// Gene or protein; the entry's `displayName` is the normalised symbol ("EGFR").
        case biomarker
    }

    public struct Entry: Codable, Sendable, Hashable {
        /// The words to look for, case-insensitively, on word boundaries.
        public var term: String
        public var conceptID: String
        public var kind: Kind
        /// The preferred name to show (defaults to the term).
        public var displayName: String
        /// Regimen: the concept ids of its drugs.
        public var components: [String]
        /// Cell-therapy product: the antigen it targets ("CD19", "BCMA").
        public var target: String?
        /// Cancer: every broader concept it falls under ("lymphoma" for "dlbcl-nos"), so a
        /// report's generic word is not taken for a second diagnosis.
        public var broaderConceptIDs: [String]?
        /// Drug: its classes in the knowledge base ("corticosteroid", "btk-inhibitor").
        public var classes: [String]?

        public init(term: String, conceptID: String, kind: Kind, displayName: String? = nil,
                    components: [String] = [], target: String? = nil, broaderConceptIDs: [String]? = nil,
                    classes: [String]? = nil) {
            self.classes = classes
            self.term = term
            self.conceptID = conceptID
            self.kind = kind
            self.displayName = displayName ?? term
            self.components = components
            self.target = target
            self.broaderConceptIDs = broaderConceptIDs
        }
    }

    /// A term found in a text.
    public struct Match: Sendable, Hashable {
        public var entry: Entry
        public var range: Range<String.Index>
    }

    public private(set) var entries: [Entry]
    private var byNormalizedTerm: [String: [Entry]]

    public init(entries: [Entry]) {
        self.entries = entries
        var index: [String: [Entry]] = [:]
        for entry in entries { index[Self.normalize(entry.term), default: []].append(entry) }
        self.byNormalizedTerm = index
    }

    private enum CodingKeys: String, CodingKey { case entries }

    /// Encoded as `{"entries": [...]}`; the index is rebuilt on decoding.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(entries: try container.decode([Entry].self, forKey: .entries))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
    }

    /// This lexicon's entries plus those of `other` whose terms it does not already have
    /// (so the knowledge base's entries win over the built-in default).
    public func merging(_ other: ClinicalLexicon) -> ClinicalLexicon {
        let known = Set(entries.map { "\($0.kind.rawValue)|\(Self.normalize($0.term))" })
        return ClinicalLexicon(entries: entries + other.entries.filter { !known.contains("\($0.kind.rawValue)|\(Self.normalize($0.term))") })
    }

    /// The entry whose term equals `text` (case- and punctuation-insensitive).
    public func lookup(_ text: String, kinds: Set<Kind> = Set(Kind.allCases)) -> Entry? {
        byNormalizedTerm[Self.normalize(text)]?.first { kinds.contains($0.kind) }
    }

    /// The first entry of `kinds` mentioned anywhere in `text` (longest term first).
    public func firstMention(in text: String, kinds: Set<Kind>) -> Entry? {
        matches(in: text, kinds: kinds).first?.entry
    }

    /// All mentions of entries of `kinds` in `text`, longest terms winning overlaps,
    /// in text order.
    public func matches(in text: String, kinds: Set<Kind>) -> [Match] {
        let candidates = entries.filter { kinds.contains($0.kind) }.sorted { $0.term.count > $1.term.count }
        var found: [Match] = []
        for entry in candidates {
            var searchStart = text.startIndex
            while searchStart < text.endIndex,
                  let range = text.range(of: entry.term, options: [.caseInsensitive, .diacriticInsensitive], range: searchStart..<text.endIndex) {
                searchStart = range.upperBound
                guard Self.isWordBoundary(text, before: range.lowerBound), Self.isWordBoundary(text, after: range.upperBound) else { continue }
                // Short all-caps terms ("ALL", "ER", "MM") only match when written in capitals,
                // and not inside a line written in capitals ("ALL RESULTS ATTACHED").
                if entry.term.count <= 3, entry.term == entry.term.uppercased() {
                    if String(text[range]) != entry.term || Self.isInUpperCaseRun(text, range) { continue }
                }
                if found.contains(where: { $0.range.overlaps(range) }) { continue }
                found.append(Match(entry: entry, range: range))
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Whether the word before or after `range` is a capitalised word of four or more letters
    /// ("ALL RESULTS"): a heading, not an abbreviation list like "ER/PR".
    static func isInUpperCaseRun(_ text: String, _ range: Range<String.Index>) -> Bool {
        func word(_ characters: some Sequence<Character>) -> String {
            // A neighbour behind "/", "," or a bracket is a list ("RET / NTRK"), not a heading.
            let separator = characters.prefix { !$0.isLetter && $0 != "\n" }
            if separator.contains(where: { "/,;()+&".contains($0) }) { return "" }
            return String(characters.drop { !$0.isLetter && $0 != "\n" }.prefix { $0.isLetter })
        }
        let before = String(word(text[..<range.lowerBound].reversed()).reversed())
        let after = word(text[range.upperBound...])
        return [before, after].contains { $0.count >= 4 && $0 == $0.uppercased() && $0.contains(where: \.isUppercase) }
    }

    static func normalize(_ text: String) -> String {
        text.lowercased()
            .folding(options: [.diacriticInsensitive], locale: nil)
            .components(separatedBy: CharacterSet.alphanumerics.inverted.subtracting(CharacterSet(charactersIn: "+*:")))
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    static func isWordBoundary(_ text: String, before index: String.Index) -> Bool {
        guard index > text.startIndex else { return true }
        let previous = text[text.index(before: index)]
        return !(previous.isLetter || previous.isNumber)
    }

    static func isWordBoundary(_ text: String, after index: String.Index) -> Bool {
        guard index < text.endIndex else { return true }
        let next = text[index]
        return !(next.isLetter || next.isNumber)
    }
}
