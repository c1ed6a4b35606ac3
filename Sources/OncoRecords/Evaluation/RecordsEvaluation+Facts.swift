import Foundation

/// One fact of a FactListing as the records scorer reads it: the JSON-level fields only
/// (field, text, isNegated, isUncertain, confidence, quote, document, fact.fact.value), so a
/// listing saved by `onconav extract --json` and one built in-process score the same.
struct ScoredFact: Hashable {
    /// Position in the listing: facts are distinct objects even when their values are equal.
    var id: Int
    var field: String
    var text: String
    var neg: Bool
    var unc: Bool
    var conf: Double
    var quote: String
    var file: String
    var doc: String
    /// `fact.fact.value`; a value that is not a mapping is stored under "_".
    var v: [String: JSONValue]

    init(id: Int, entry: JSONValue, docmap: [String: String]) {
        let e = entry.dict
        self.id = id
        field = Py.str(e["field"])
        text = Py.orEmpty(e["text"])
        neg = Py.truthy(e["isNegated"])
        unc = Py.truthy(e["isUncertain"])
        conf = Py.truthy(e["confidence"]) ? (Py.float(e["confidence"]) ?? 0) : 0
        quote = Py.orEmpty(e["quote"]).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{0C}", with: " ")
        file = Py.orEmpty(e["document"])
        let base = (file as NSString).lastPathComponent
        let stem = Rx.sub(#"(-scan)?\.(txt|pdf|png|jpe?g)$"#, "", base)
        doc = docmap[stem] ?? stem
        let value = e["fact"].dict["fact"].dict["value"]
        if case .object(let object)? = value { v = object } else { v = ["_": value ?? .null] }
    }

    /// `f.v.get(name)`: nil when the key is absent (a JSON null is `.null`).
    subscript(_ name: String) -> JSONValue? { v[name] }

    /// `f.v.get(name, default)` for a string default.
    func value(_ name: String, default fallback: String) -> JSONValue { v[name] ?? .string(fallback) }

    func string(_ name: String) -> String? {
        if case .string(let text)? = v[name] { return text }
        return nil
    }

    func date(_ name: String = "date") -> PartialDate? { PartialDate.parse(v[name]) }

    var isSystemic: Bool { value("kind", default: "systemic") == .string("systemic") }

    var intent: String? { string("intent") }

    var where_: String { "\(doc) \"\(String(quote.prefix(70)))\"" }

    static func == (a: ScoredFact, b: ScoredFact) -> Bool { a.id == b.id }
    func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// TP / FP / FN of one field group, with the judgements behind them.
struct GroupScore: Sendable {
    var tp = 0
    var fp = 0
    var fn = 0
    var notes: [(kind: String, text: String)] = []

    mutating func add(_ kind: String, _ text: String) {
        switch kind {
        case "TP": tp += 1
        case "FP": fp += 1
        case "FN": fn += 1
        default: break
        }
        notes.append((kind, text))
    }
}

enum ScorerMath {
    /// Precision, recall and F1 as the scorer defines them (an empty side counts as perfect).
    static func prf(_ tp: Int, _ fp: Int, _ fn: Int) -> (p: Double, r: Double, f: Double) {
        let p = tp + fp > 0 ? Double(tp) / Double(tp + fp) : (fn == 0 ? 1.0 : 0.0)
        let r = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 1.0
        let f = p + r > 0 ? 2 * p * r / (p + r) : 0.0
        return (p, r, f)
    }
}

/// `latest`: the newest dated non-negated fact, else the most confident (first on ties).
func scorerLatest(_ facts: [ScoredFact], _ date: (ScoredFact) -> PartialDate?) -> ScoredFact? {
    let active = facts.filter { !$0.neg }
    let dated = active.filter { date($0) != nil }
    if var best = dated.first {
        for fact in dated.dropFirst() where PartialDate.later(date(fact)!, than: date(best)!) { best = fact }
        return best
    }
    return scorerPreferred(active)
}

/// `preferred`: certain before uncertain, then the highest confidence, first on ties.
func scorerPreferred(_ facts: [ScoredFact]) -> ScoredFact? {
    var best: ScoredFact?
    func rank(_ f: ScoredFact) -> (Int, Double) { (f.unc ? 0 : 1, f.conf) }
    for fact in facts {
        guard let current = best else { best = fact; continue }
        let (a, b) = (rank(fact), rank(current))
        if a.0 > b.0 || (a.0 == b.0 && a.1 > b.1) { best = fact }
    }
    return best
}
