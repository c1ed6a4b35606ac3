import Foundation
import Yams

/// `onconav eval records DIR`: the independent records scorer
/// (../shared/tools/score_records.py) ported to Swift, so the figure the records set is
/// judged with comes from the project itself.
///
/// The folder holds patient folders named like D01 or P12, each with `expected.yaml` (the
/// answer key) and the documents it lists. For each patient and format (text = the .txt
/// files, pdf = the text-layer PDFs, scan = the PDFs with each scanned variant substituted)
/// the documents are read in-process the way `onconav extract FILES --json` reads them
/// (DocumentProcessor with the knowledge base's lexicon, then FactListing), or a saved
/// listing is replayed (DIR/PID-FORMAT.json as `score_records.py --dump` writes them). The
/// listing is scored on its JSON-level fields with the scorer's rules: micro P/R/F1 per
/// patient and format, per field group, and the must_not traps read from their wording.
/// The last line of the text report is the scorer's:
/// `LABEL F1 text 0.xx pdf 0.xx scan 0.xx; traps violated N/M`.
public struct RecordsEvaluation: Sendable {
    public enum Format: String, CaseIterable, Codable, Sendable {
        case text, pdf, scan
    }

    /// Where the FactListing JSON of one patient and format comes from.
    public enum Source: Sendable {
        /// Read the documents now: DocumentProcessor with this lexicon, then FactListing.
        case extract(ClinicalLexicon)
        /// Saved listings: `DIR/PID-FORMAT.json`.
        case replay(URL)
    }

    public static let groups = ["demographics", "diagnosis", "stage", "biomarkers", "lines", "transplant", "ecog", "lvef", "cns",
                                "infections", "labs"]

    public var formats: [Format]
    public var regimens: RecordsRegimens
    public var label: String?
    /// When set, each listing is saved there as PID-FORMAT.json (as the Python scorer's --dump).
    public var dump: URL?
    /// When set, only these patient folders are scored (e.g. the tuning half).
    public var only: Set<String>?

    /// `knowledgeDirectory`: the knowledge base whose drugs/regimens.yaml the product counts lines with.
    public init(knowledgeDirectory: URL, formats: [Format] = Format.allCases, label: String? = nil, dump: URL? = nil,
                only: Set<String>? = nil) {
        self.formats = Format.allCases.filter(formats.contains)
        regimens = RecordsRegimens(knowledgeDirectory: knowledgeDirectory)
        self.label = label
        self.dump = dump
        self.only = only
    }

    /// Patient folders (letters + digits) that hold an expected.yaml, sorted.
    public static func patients(in directory: URL) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw RecordsEvaluationError.notAFolder(directory.path)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { name in
            Rx.test("^[A-Z]+\\d+$", name)
                && FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).appendingPathComponent("expected.yaml").path)
        }.sorted()
    }

    /// The documents of one format, in the key's document order.
    static func files(_ folder: URL, _ key: AnswerKey, _ format: Format) -> [URL] {
        key["documents"].items.compactMap { document in
            let txt = folder.appendingPathComponent(Py.str(document.dict["file"])).path
            let base = String(txt.dropLast(4))
            switch format {
            case .text: return URL(fileURLWithPath: txt)
            case .pdf: return URL(fileURLWithPath: base + ".pdf")
            case .scan:
                return [base + "-scan.pdf", base + "-scan.png", base + ".pdf"].first { FileManager.default.fileExists(atPath: $0) }
                    .map { URL(fileURLWithPath: $0) }
            }
        }
    }

    /// Scores every patient folder of `directory` in the chosen formats.
    public func run(directory: URL, source: Source) async throws -> RecordsReport {
        let patients = try Self.patients(in: directory).filter { only?.contains($0) ?? true }
        guard !patients.isEmpty else { throw RecordsEvaluationError.noPatients(directory.path) }
        if let dump { try FileManager.default.createDirectory(at: dump, withIntermediateDirectories: true) }
        var cells: [RecordsReport.Cell] = []
        var errors: [String] = []
        var details: [String] = []
        for pid in patients {
            let folder = directory.appendingPathComponent(pid)
            let key = try RecordsYAML.load(folder.appendingPathComponent("expected.yaml"))
            for format in formats {
                let started = Date()
                var listing: JSONValue
                do {
                    switch source {
                    case .extract(let lexicon): listing = try await Self.extract(Self.files(folder, key, format), lexicon: lexicon)
                    case .replay(let saved):
                        let file = saved.appendingPathComponent("\(pid)-\(format.rawValue).json")
                        guard let data = FileManager.default.contents(atPath: file.path) else { throw RecordsEvaluationError.noListing(file.path) }
                        listing = try JSONDecoder().decode(JSONValue.self, from: data)
                    }
                } catch {
                    errors.append("\(pid) \(format.rawValue): \(error)")
                    listing = .object(["documents": .array([]), "facts": .array([])])
                }
                let seconds = source.isReplay ? 0 : Date().timeIntervalSince(started)
                if let dump {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    try encoder.encode(listing).write(to: dump.appendingPathComponent("\(pid)-\(format.rawValue).json"))
                }
                let cell = score(pid: pid, format: format, key: key, listing: listing, seconds: seconds)
                errors += cell.documentErrors.map { "\(pid) \(format.rawValue): document not read: \($0)" }
                details += cell.detailLines
                cells.append(cell)
            }
        }
        return RecordsReport(label: label ?? Self.defaultLabel(directory), formats: formats, patients: patients, cells: cells,
                             errors: errors, details: details)
    }

    /// "dev records" for a folder whose name contains "dev", "held-out records" under a heldout folder, else "records".
    static func defaultLabel(_ directory: URL) -> String {
        let path = directory.standardizedFileURL.path
        let parts = path.split(separator: "/").map(String.init)
        if (parts.last ?? "").lowercased().contains("dev") { return "dev records" }
        if parts.contains("heldout") || parts.contains("held-out") { return "held-out records" }
        return "records"
    }

    /// The same path as `onconav extract FILES --json`, as JSON.
    static func extract(_ files: [URL], lexicon: ClinicalLexicon) async throws -> JSONValue {
        let listing = await FactListing.read(files.map(\.path), lexicon: lexicon).listing
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(listing))
    }

    /// One patient and format: every group scored, the traps checked.
    func score(pid: String, format: Format, key: AnswerKey, listing: JSONValue, seconds: Double) -> RecordsReport.Cell {
        var docmap: [String: String] = [:]
        for document in key["documents"].items {
            let file = Py.str(document.dict["file"])
            docmap[(file as NSString).deletingPathExtension] = Py.str(document.dict["id"])
        }
        let facts = listing.dict["facts"].items.enumerated().map { ScoredFact(id: $0.offset, entry: $0.element, docmap: docmap) }
        var groups: [String: GroupScore] = [
            "demographics": RecordsScoring.demographics(key, facts),
            "diagnosis": RecordsScoring.diagnosis(key, facts),
            "stage": RecordsScoring.stage(key, facts),
            "biomarkers": RecordsScoring.biomarkers(key, facts),
            "transplant": RecordsScoring.transplant(key, facts),
            "ecog": RecordsScoring.ecog(key, facts),
            "lvef": RecordsScoring.lvef(key, facts),
            "cns": RecordsScoring.cns(key, facts),
            "infections": RecordsScoring.infections(key, facts),
            "labs": RecordsScoring.labs(key, facts),
        ]
        groups["lines"] = RecordsScoring.lines(key, facts, regimens).score
        let (traps, borderline) = RecordsScoring.checkTraps(key, facts, regimens)
        let documentErrors = listing.dict["documents"].items.compactMap { d -> String? in
            Py.truthy(d.dict["error"]) ? "\(Py.str(d.dict["file"])): \(Py.str(d.dict["error"]))" : nil
        }
        var detail = [String(format: "=== %@ %@ (%.1f s, %d facts)", pid, format.rawValue, seconds, facts.count)]
        for g in Self.groups {
            for note in groups[g]?.notes ?? [] {
                detail.append("  \(RecordsReport.left(g, 12)) \(RecordsReport.left(note.kind, 8)) \(note.text)")
            }
        }
        for trap in traps {
            let ev = trap.hits.prefix(3).map { "\($0.text) [\($0.where_)]" }.joined(separator: "; ")
            detail.append("  \(RecordsReport.left("trap", 12)) \(RecordsReport.left(trap.status, 8)) \(trap.claim)\(ev.isEmpty ? "" : " <- " + ev)")
        }
        for b in borderline { detail.append("  \(RecordsReport.left("trap", 12)) \(RecordsReport.left("borderl.", 8)) \(b)") }
        return RecordsReport.Cell(
            patient: pid, format: format, seconds: seconds, facts: facts.count,
            groups: groups.mapValues { RecordsReport.Counts(tp: $0.tp, fp: $0.fp, fn: $0.fn) },
            traps: traps.map { trap in
                RecordsReport.Trap(claim: trap.claim, status: trap.status,
                                   evidence: trap.hits.first.map { "\($0.text) [\($0.where_)]" })
            },
            documentErrors: documentErrors, detailLines: detail)
    }
}

extension RecordsEvaluation.Source {
    var isReplay: Bool {
        if case .replay = self { return true }
        return false
    }
}

public enum RecordsEvaluationError: Error, CustomStringConvertible {
    case noPatients(String)
    case notAFolder(String)
    case noListing(String)
    case unreadableKey(String)

    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path) is not a folder"
        case .noListing(let path): "no saved listing \(path)"
        case .noPatients(let path): "no PID/expected.yaml (PID like D01) under \(path)"
        case .unreadableKey(let path): "\(path) is not a YAML mapping"
        }
    }
}

/// YAML read as PyYAML's safe_load reads it (quoted scalars stay strings; plain yes/no are
/// booleans; dates keep their text), as JSON values.
enum RecordsYAML {
    static func load(_ url: URL) throws -> AnswerKey {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let node = try Yams.compose(yaml: text), case .object(let root) = value(node) else {
            throw RecordsEvaluationError.unreadableKey(url.path)
        }
        return root
    }

    static func value(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.description) {
            case .null: return .null
            case .bool: return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return Int.construct(from: scalar).map { .number(Double($0)) } ?? .string(scalar.string)
            case .float: return Double.construct(from: scalar).map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (k, v) in mapping { object[k.string ?? Py.str(value(k))] = value(v) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(value))
        case .alias:
            return .null
        }
    }
}

/// The records scorer's results: per patient x format, per group, the traps, the summary line.
public struct RecordsReport: Codable, Sendable {
    public struct Counts: Codable, Sendable, Hashable {
        public var tp: Int
        public var fp: Int
        public var fn: Int
    }

    public struct Trap: Codable, Sendable {
        public var claim: String
        /// violated, ok, not expressible or UNCHECKED.
        public var status: String
        public var evidence: String?
        var broken: Bool { status == "violated" || status == "UNCHECKED" }
    }

    public struct Cell: Codable, Sendable {
        public var patient: String
        public var format: RecordsEvaluation.Format
        public var seconds: Double
        public var facts: Int
        public var groups: [String: Counts]
        public var traps: [Trap]
        public var documentErrors: [String]
        var detailLines: [String] = []

        enum CodingKeys: String, CodingKey { case patient, format, seconds, facts, groups, traps, documentErrors }

        public var total: Counts {
            groups.values.reduce(Counts(tp: 0, fp: 0, fn: 0)) { Counts(tp: $0.tp + $1.tp, fp: $0.fp + $1.fp, fn: $0.fn + $1.fn) }
        }
    }

    /// A must_not item broken in at least one format.
    public struct ViolatedTrap: Codable, Sendable {
        public var patient: String
        public var claim: String
        public var formats: [RecordsEvaluation.Format]
        public var evidence: String?
    }

    public var label: String
    public var formats: [RecordsEvaluation.Format]
    public var patients: [String]
    public var cells: [Cell]
    public var errors: [String]
    var details: [String] = []

    enum CodingKeys: String, CodingKey { case label, formats, patients, cells, errors, f1, violated, trapsTotal, summary }

    init(label: String, formats: [RecordsEvaluation.Format], patients: [String], cells: [Cell], errors: [String], details: [String]) {
        self.label = label
        self.formats = formats
        self.patients = patients
        self.cells = cells
        self.errors = errors
        self.details = details
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        formats = try c.decode([RecordsEvaluation.Format].self, forKey: .formats)
        patients = try c.decode([String].self, forKey: .patients)
        cells = try c.decode([Cell].self, forKey: .cells)
        errors = try c.decode([String].self, forKey: .errors)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(formats, forKey: .formats)
        try c.encode(patients, forKey: .patients)
        try c.encode(cells, forKey: .cells)
        try c.encode(errors, forKey: .errors)
        try c.encode(Dictionary(uniqueKeysWithValues: formats.map { ($0.rawValue, f1($0)) }), forKey: .f1)
        try c.encode(violated, forKey: .violated)
        try c.encode(trapsTotal, forKey: .trapsTotal)
        try c.encode(summary, forKey: .summary)
    }

    func cell(_ patient: String, _ format: RecordsEvaluation.Format) -> Cell? {
        cells.first { $0.patient == patient && $0.format == format }
    }

    /// Micro counts of one format over all patients and groups.
    public func total(_ format: RecordsEvaluation.Format) -> Counts {
        cells.filter { $0.format == format }.map(\.total)
            .reduce(Counts(tp: 0, fp: 0, fn: 0)) { Counts(tp: $0.tp + $1.tp, fp: $0.fp + $1.fp, fn: $0.fn + $1.fn) }
    }

    /// Counts of one field group in one format over all patients.
    public func total(_ format: RecordsEvaluation.Format, group: String) -> Counts {
        cells.filter { $0.format == format }.compactMap { $0.groups[group] }
            .reduce(Counts(tp: 0, fp: 0, fn: 0)) { Counts(tp: $0.tp + $1.tp, fp: $0.fp + $1.fp, fn: $0.fn + $1.fn) }
    }

    /// Micro F1 of one format.
    public func f1(_ format: RecordsEvaluation.Format) -> Double {
        let t = total(format)
        return ScorerMath.prf(t.tp, t.fp, t.fn).f
    }

    /// All must_not items (counted in the first format scored).
    public var trapsTotal: Int { formats.first.map { f in cells.filter { $0.format == f }.reduce(0) { $0 + $1.traps.count } } ?? 0 }

    public var violated: [ViolatedTrap] {
        guard let first = formats.first else { return [] }
        var out: [ViolatedTrap] = []
        for pid in patients {
            guard let base = cell(pid, first) else { continue }
            for (i, trap) in base.traps.enumerated() {
                let broken = formats.filter { f in cell(pid, f).map { i < $0.traps.count && $0.traps[i].broken } ?? false }
                guard !broken.isEmpty else { continue }
                let evidence = broken.lazy.compactMap { self.cell(pid, $0)?.traps[i].evidence }.first
                out.append(ViolatedTrap(patient: pid, claim: trap.claim, formats: broken, evidence: evidence))
            }
        }
        return out
    }

    /// `LABEL F1 text 0.xx pdf 0.xx scan 0.xx; traps violated N/M`.
    public var summary: String {
        let figures = formats.map { "\($0.rawValue) \(String(format: "%.2f", f1($0)))" }.joined(separator: " ")
        return "\(label) F1 \(figures); traps violated \(violated.count)/\(trapsTotal)"
    }

    /// The scorer's thresholds: F1 text >= 0.95, scan >= 0.90, no trap broken, no error.
    public var meetsTarget: Bool {
        (!formats.contains(.text) || f1(.text) >= 0.95) && (!formats.contains(.scan) || f1(.scan) >= 0.90) && violated.isEmpty && errors.isEmpty
    }

    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// The Python scorer's text report; `verbose` adds every judgement first.
    public func text(verbose: Bool = false) -> String {
        var out: [String] = []
        if verbose { out += details + [""] }
        let firstCells = formats.first.map { f in cells.filter { $0.format == f } } ?? []
        let notExpressible = firstCells.reduce(0) { $0 + $1.traps.filter { $0.status == RecordsScoring.notExpressible }.count }
        let unchecked = firstCells.reduce(0) { $0 + $1.traps.filter { $0.status == "UNCHECKED" }.count }
        out.append("\(label.prefix(1).uppercased() + label.dropFirst()): extraction micro P/R/F1 per patient x format (TP/FP/FN), traps violated, wall time")
        out.append(Self.left("patient", 8) + formats.map { Self.right($0.rawValue, 34) }.joined())
        func row(_ c: Counts, traps: Int, seconds: Double) -> String {
            let f = ScorerMath.prf(c.tp, c.fp, c.fn).f
            return String(format: "   F1 %.2f (%3d/%3d/%3d) tr %2d %5.1fs", f, c.tp, c.fp, c.fn, traps, seconds)
        }
        for pid in patients {
            var line = Self.left(pid, 8)
            for f in formats {
                guard let cell = cell(pid, f) else { continue }
                line += row(cell.total, traps: cell.traps.filter(\.broken).count, seconds: cell.seconds)
            }
            out.append(line)
        }
        var all = Self.left("all", 8)
        for f in formats {
            let fc = cells.filter { $0.format == f }
            all += row(total(f), traps: fc.reduce(0) { $0 + $1.traps.filter(\.broken).count }, seconds: fc.reduce(0) { $0 + $1.seconds })
        }
        out.append(all)
        out.append("")
        out.append("Per field group (all patients): P / R / F1 [TP/FP/FN]")
        out.append(Self.left("group", 13) + formats.map { Self.right($0.rawValue, 30) }.joined())
        var macro: [RecordsEvaluation.Format: [Double]] = [:]
        for g in RecordsEvaluation.groups {
            var line = Self.left(g, 13)
            for f in formats {
                let c = total(f, group: g)
                let (p, r, f1) = ScorerMath.prf(c.tp, c.fp, c.fn)
                macro[f, default: []].append(f1)
                line += String(format: "   %.2f / %.2f / %.2f [%3d/%3d/%3d]", p, r, f1, c.tp, c.fp, c.fn)
            }
            out.append(line)
        }
        out.append(Self.left("macro F1", 13) + formats.map { f in
            let values = macro[f] ?? []
            return Self.right(String(format: "%.2f", values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)), 30)
        }.joined())
        out.append("")
        let broken = violated
        out.append("must_not items violated (in any format): \(broken.count)/\(trapsTotal) "
            + "(\(notExpressible) of the \(trapsTotal) not expressible in the FactListing schema\(unchecked > 0 ? ", \(unchecked) UNCHECKED" : ""))")
        for v in broken {
            out.append("  \(v.patient) [\(v.formats.map(\.rawValue).joined(separator: ","))] \(v.claim)\(v.evidence.map { " <- " + $0 } ?? "")")
        }
        if !errors.isEmpty {
            out.append("")
            out.append("errors:")
            out += errors.map { "  \($0)" }
        }
        out.append(summary)
        return out.joined(separator: "\n")
    }
}
