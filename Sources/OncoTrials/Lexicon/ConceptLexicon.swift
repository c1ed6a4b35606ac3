import Foundation
import OncoKnowledge

/// The ontology knowledge OncoTrials needs, injected as a value so this module does not
/// depend on how the knowledge base is stored.
///
/// - Eligibility parsing maps cancer, drug and biomarker names in criteria to concept IDs.
/// - The trial index expands queries through synonyms ("NSCLC" → "non-small cell lung cancer").
/// - The modality classifier learns product names (`Entry.modality`).
///
/// `ConceptLexicon.oncologyDefault` is a small built-in set of common oncology terms so
/// everything works standalone. The knowledge base replaces it: build one `Entry` per
/// (synonym, concept) pair — every synonym of a concept carries the same `conceptID` — and
/// put grouping concepts (e.g. `group:solid-tumour`) under `groups` so a criterion such as
/// "any solid tumour" maps to the group ID that the matcher expands with its `isA` relation.
public struct ConceptLexicon: Sendable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case cancer, drug, drugClass = "drug-class", biomarker, modality
    }

    public struct Entry: Sendable, Hashable {
        public var term: String
        public var conceptID: String
        public var kind: Kind
        /// For drugs and products: the therapy modality they belong to.
        public var modality: TherapyModality?

        /// Short acronyms written with capitals ("ALL", "MM", "ER") match only when the
        /// text has the same capitals, so the word "all" is not acute lymphoblastic leukaemia.
        public var isCaseSensitive: Bool {
            term.count <= 5 && term.contains(where: \.isUppercase)
        }

        public init(term: String, conceptID: String, kind: Kind, modality: TherapyModality? = nil) {
            self.term = term
            self.conceptID = conceptID
            self.kind = kind
            self.modality = modality
        }
    }

    /// A concept found in text.
    public struct Match: Sendable, Hashable {
        public var entry: Entry
        /// Range in the searched string.
        public var range: Range<String.Index>
    }

    public private(set) var entries: [Entry]
    /// Extra query-expansion pairs beyond shared concept IDs (normalised term → terms).
    public private(set) var expansions: [String: [String]]

    /// normalised term → entries; term length in words is bounded by `maxWords`.
    private var byTerm: [String: [Entry]] = [:]
    private var byConcept: [String: [Entry]] = [:]
    private var maxWords = 1
    /// The first word (up to a space or `*`) of every normalised term: a phrase can only be
    /// a term when its first word is one of these, so most positions are passed over after
    /// one cheap look-up.
    private var leadingWords: Set<String> = []
    /// Per leading word, the most words (as `wordRanges` cuts them) of a term starting with it:
    /// a phrase of more words cannot be such a term.
    private var mostWordsByLeadingWord: [String: Int] = [:]

    public init(entries: [Entry], expansions: [String: [String]] = [:]) {
        self.entries = []
        self.expansions = [:]
        for (key, values) in expansions { self.expansions[Self.normalise(key)] = values }
        add(entries)
    }

    /// Adds entries (e.g. the knowledge base's on top of the defaults).
    public mutating func add(_ newEntries: [Entry]) {
        for entry in newEntries {
            let key = Self.normalise(entry.term)
            guard !key.isEmpty else { continue }
            entries.append(entry)
            byTerm[key, default: []].append(entry)
            byConcept[entry.conceptID, default: []].append(entry)
            maxWords = max(maxWords, key.split(separator: " ").count)
            let lead = Self.leadingWord(key)
            leadingWords.insert(lead)
            mostWordsByLeadingWord[lead] = max(mostWordsByLeadingWord[lead] ?? 0, Self.wordRanges(in: key).count)
        }
    }

    /// Entries whose term equals `term` after normalisation.
    public func lookup(_ term: String) -> [Entry] { byTerm[Self.normalise(term)] ?? [] }

    /// All terms of a concept.
    public func terms(ofConcept conceptID: String) -> [String] { byConcept[conceptID]?.map(\.term) ?? [] }

    /// Other ways to say `term`: the terms of every concept it names, plus `expansions`.
    public func synonyms(of term: String) -> [String] {
        let key = Self.normalise(term)
        var result: [String] = []
        var seen: Set<String> = [key]
        for entry in byTerm[key] ?? [] {
            for other in byConcept[entry.conceptID] ?? [] where seen.insert(Self.normalise(other.term)).inserted {
                result.append(other.term)
            }
        }
        for other in expansions[key] ?? [] where seen.insert(Self.normalise(other)).inserted { result.append(other) }
        return result
    }

    /// A text cut into words once, for several look-ups (one criterion is looked up for
    /// cancers, biomarkers and drugs).
    public struct Words: Sendable {
        let text: String
        let ranges: [Range<String.Index>]
        /// Per word, `normalise(word)`.
        let normalised: [String]
        /// Per word, `leadingWord(normalise(word))`.
        let heads: [String]
        /// Between word k and k + 1, the text between them as `normalise` writes it inside a
        /// phrase: "*" kept, anything else one space (" ", "*", " * " …).
        let gaps: [String]

        public init(_ text: String) {
            self.text = text
            ranges = ConceptLexicon.wordRanges(in: text)
            normalised = ranges.map { ConceptLexicon.normalise(String(text[$0])) }
            heads = normalised.map(ConceptLexicon.leadingWord)
            gaps = zip(ranges, ranges.dropFirst()).map { ConceptLexicon.gap(text[$0.upperBound..<$1.lowerBound]) }
        }

        /// `normalise` of words `i ..< i + n` (when none of them normalises to nothing):
        /// the words' own normal forms joined by the gaps, which is what `normalise` makes
        /// of the whole stretch (it maps character by character, only collapsing spaces,
        /// and no spelling it unifies spans a gap).
        func phrase(_ i: Int, _ n: Int) -> String {
            var out = normalised[i]
            for k in (i + 1)..<(i + n) where n > 1 {
                out += gaps[k - 1]
                out += normalised[k]
            }
            return out
        }
    }

    /// The text between two words as `normalise` writes it between them.
    static func gap(_ text: Substring) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII between words holds no letters or digits: "*" stays, the rest is one space.
            var bytes: [UInt8] = []
            var lastWasSpace = false
            for byte in text.utf8 {
                if byte == 0x2A {
                    bytes.append(byte)
                    lastWasSpace = false
                } else if !lastWasSpace {
                    bytes.append(0x20)
                    lastWasSpace = true
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        var lastWasSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || scalar == "*" {
                out.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        return String(out)
    }

    /// Finds lexicon terms in `text`, longest match first, without overlaps.
    public func matches(in text: String, kinds: Set<Kind>? = nil) -> [Match] {
        matches(in: Words(text), kinds: kinds)
    }

    /// Finds lexicon terms in a text already cut into words.
    public func matches(in prepared: Words, kinds: Set<Kind>? = nil) -> [Match] {
        let text = prepared.text
        let words = prepared.ranges
        var result: [Match] = []
        var i = 0
        while i < words.count {
            // normalise(phrase from word i) begins with normalise(word i)'s leading word.
            let head = prepared.heads[i]
            if !head.isEmpty, !leadingWords.contains(head) {
                i += 1
                continue
            }
            var found: (Int, [Entry])?
            var n = min(maxWords, words.count - i)
            // Words that normalise to nothing ("'") change how many words a term has; without
            // them the phrase is put together from the words' normal forms.
            let composed = !head.isEmpty && !prepared.normalised[i..<(i + n)].contains(where: \.isEmpty)
            if composed { n = min(n, mostWordsByLeadingWord[head] ?? n) }
            while n >= 1 {
                let phrase = composed ? prepared.phrase(i, n) : Self.normalise(String(text[words[i].lowerBound..<words[i + n - 1].upperBound]))
                if let candidates = byTerm[phrase] {
                    let original = text[words[i].lowerBound..<words[i + n - 1].upperBound].filter { $0.isLetter || $0.isNumber }
                    let filtered = candidates.filter { entry in
                        (kinds?.contains(entry.kind) ?? true)
                            && (!entry.isCaseSensitive || original == entry.term.filter { $0.isLetter || $0.isNumber })
                    }
                    if !filtered.isEmpty { found = (n, filtered); break }
                }
                n -= 1
            }
            if let (length, candidates) = found {
                let range = words[i].lowerBound..<words[i + length - 1].upperBound
                for entry in candidates { result.append(Match(entry: entry, range: range)) }
                i += length
            } else {
                i += 1
            }
        }
        return result
    }

    /// Ranges of word-like tokens (letters, digits, and inner `-`, `*`, `:`, `.`, `+`, `/`).
    static func wordRanges(in text: String) -> [Range<String.Index>] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWordRanges(in: text) }
        var ranges: [Range<String.Index>] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let isWord: Bool
            if let ascii = c.asciiValue {
                // ASCII letters, digits and the apostrophe, without the Unicode property tables.
                isWord = (ascii >= 0x30 && ascii <= 0x39) || (ascii | 0x20 >= 0x61 && ascii | 0x20 <= 0x7A) || ascii == 0x27
            } else {
                isWord = c.isLetter || c.isNumber
            }
            if isWord {
                if start == nil { start = index }
            } else if let s = start {
                ranges.append(s..<index)
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { ranges.append(s..<text.endIndex) }
        return ranges
    }

    /// `wordRanges` of ASCII text, byte by byte: each byte is a character (but for "\r\n",
    /// which is no word either way), and a word is a run of letters, digits and apostrophes.
    static func asciiWordRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start: String.Index?
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x27 {
                if start == nil { start = index }
            } else if let s = start {
                ranges.append(s..<index)
                start = nil
            }
            index = utf8.index(after: index)
        }
        if let s = start { ranges.append(s..<text.endIndex) }
        return ranges
    }

    /// A normalised text up to its first space or `*`.
    static func leadingWord(_ normalised: String) -> String {
        if !normalised.utf8.contains(where: { $0 == 0x20 || $0 == 0x2A }) { return normalised }
        var scalars = String.UnicodeScalarView()
        for scalar in normalised.unicodeScalars {
            if scalar == " " || scalar == "*" { break }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Lower-cases, unifies British/American spelling, turns punctuation into spaces.
    public static func normalise(_ text: String) -> String {
        if let ascii = normaliseASCII(text) { return ascii }
        var out = ""
        out.reserveCapacity(text.count)
        var lastWasSpace = true
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || scalar == "*" {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        for (british, american) in Self.spellings where out.contains(british) {
            out = out.replacingOccurrences(of: british, with: american)
        }
        return out
    }

    /// `normalise` for ASCII text, byte by byte (the same result: the ASCII letters and digits
    /// are exactly the ASCII members of `CharacterSet.alphanumerics`); nil for other text.
    static func normaliseASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        var maybeBritish = false
        var previous: UInt8 = 0
        for var byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            let isAlphanumeric = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if isAlphanumeric || byte == 0x2A {
                // Every British spelling below holds "ae", "oe" or "ou".
                if (previous == 0x61 || previous == 0x6F) && byte == 0x65 || previous == 0x6F && byte == 0x75 { maybeBritish = true }
                bytes.append(byte)
                lastWasSpace = false
            } else if !lastWasSpace {
                bytes.append(0x20)
                lastWasSpace = true
            }
            previous = bytes.last ?? 0
        }
        if bytes.last == 0x20 { bytes.removeLast() }
        var out = String(decoding: bytes, as: UTF8.self)
        if maybeBritish {
            for (index, (british, american)) in Self.spellings.enumerated() where LiteralGate.contains(bytes, Self.spellingBytes[index]) {
                out = out.replacingOccurrences(of: british, with: american)
                bytes = Array(out.utf8)
            }
        }
        return out
    }

    static let spellingBytes: [[UInt8]] = spellings.map { Array($0.0.utf8) }

    static let spellings: [(String, String)] = [
        ("tumour", "tumor"), ("leukaemia", "leukemia"), ("haemato", "hemato"), ("haem", "hem"),
        ("oesophag", "esophag"), ("anaemia", "anemia"), ("oedema", "edema"),
    ]
}
