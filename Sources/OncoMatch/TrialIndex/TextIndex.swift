import Foundation

/// BM25 over a set of short texts (knowledge-base passages, FAQ answers): the trial index's
/// tokenizer and interned term table, without the trial fields, sites and filters.
///
/// ```swift
/// var index = TextIndex()
/// let id = index.add("CAR-T cells are given back through a drip into a vein.")
/// let hits = index.search(["drip", "vein"], limit: 3)   // [(document: id, score: …)]
/// ```
public struct TextIndex: Sendable {
    private var terms = TermTable(capacity: 1 << 12)
    private var postings: [[(document: Int32, tf: UInt16)]] = []
    private var lengths: [Float] = []
    private let stopIDs: Int32
    public let k1: Float
    public let b: Float

    public init(k1: Float = 1.2, b: Float = 0.75) {
        self.k1 = k1
        self.b = b
        for word in IndexTokenizer.stopWords { _ = terms.intern(word) }
        stopIDs = Int32(terms.count)
        postings = Array(repeating: [], count: terms.count)
    }

    public var count: Int { lengths.count }

    /// Adds a text; returns its document number (0, 1, 2, … in the order added).
    @discardableResult
    public mutating func add(_ text: String) -> Int {
        let document = Int32(lengths.count)
        var counts: [Int32: UInt16] = [:]
        var length = 0
        IndexTokenizer.forEachToken(in: text) { bytes in
            let id = terms.intern(bytes)
            guard id >= stopIDs else { return }
            counts[id, default: 0] &+= 1
            length += 1
        }
        if postings.count < terms.count { postings += Array(repeating: [], count: terms.count - postings.count) }
        for (id, tf) in counts { postings[Int(id)].append((document, tf)) }
        lengths.append(Float(length))
        return Int(document)
    }

    /// The query's distinct index terms (tokenised as documents are, stop words left out).
    public func queryTerms(_ text: String) -> [String] {
        var seen = Set<String>()
        return IndexTokenizer.tokens(text).filter { token in
            if let id = terms.lookup(token), id < stopIDs { return false }
            return seen.insert(token).inserted
        }
    }

    /// Documents by BM25 score for the given query terms, best first; `allowed` limits which
    /// documents may be returned.
    public func search(_ queryTerms: [String], limit: Int = 10, allowed: ((Int) -> Bool)? = nil) -> [(document: Int, score: Float)] {
        guard !lengths.isEmpty else { return [] }
        let n = Float(lengths.count)
        let average = lengths.reduce(0, +) / n
        var scores: [Int32: Float] = [:]
        for term in Set(queryTerms) {
            guard let id = terms.lookup(term), id >= stopIDs, Int(id) < postings.count else { continue }
            let list = postings[Int(id)]
            let df = Float(list.count)
            guard df > 0 else { continue }
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for (document, tf) in list {
                let f = Float(tf)
                let norm = k1 * (1 - b + b * lengths[Int(document)] / max(average, 1))
                scores[document, default: 0] += idf * f * (k1 + 1) / (f + norm)
            }
        }
        return scores.filter { allowed?(Int($0.key)) ?? true }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { (Int($0.key), $0.value) }
    }
}

extension TermTable {
    /// The id of a word, interning it when new.
    mutating func intern(_ word: String) -> Int32 {
        var copy = word
        return copy.withUTF8 { intern($0) }
    }
}
