import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Matching at registry scale: real studies varied in memory to `scaleTo` (new NCT IDs, a
/// cohort number in the title, sites moved by up to ±0.05°), loaded into a `TrialCatalog`
/// (index + criteria parsed once per distinct text), then real case notes matched —
/// ranked top `trialLimit` trials with every criterion evaluated, plus every label.
/// Reports single-case latency p50/p95 and batch re-match throughput across all cores.
public enum MatchBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var studies = 0
        public var distinctCriteriaTexts = 0
        public var buildSeconds = 0.0
        public var peakMB: Double?
        public var cases = 0
        public var runs = 0
        public var trialLimit = 0
        public var criteriaEvaluatedPerCase = 0
        public var p50Ms = 0.0
        public var p95Ms = 0.0
        /// The same runs in CPU time of the matching thread (unaffected by other load on the machine).
        public var cpuP50Ms = 0.0
        public var cpuP95Ms = 0.0
        public var batchCases = 0
        public var batchSeconds = 0.0
        public var cores = 1
        public var perCase: [(name: String, p50Ms: Double, options: Int)] = []

        public var throughput: Double { batchSeconds > 0 ? Double(batchCases) / batchSeconds : 0 }

        public var description: String {
            var out = """
            catalog: \(studies) studies (\(distinctCriteriaTexts) distinct criteria texts parsed), built in \(String(format: "%.1f", buildSeconds)) s, peak RSS \(peakMB.map { String(format: "%.0f MB", $0) } ?? "n/a")
            match (top \(trialLimit) trials, every criterion evaluated, plus labels): \(runs) runs over \(cases) cases — wall p50 \(String(format: "%.1f", p50Ms)) ms, p95 \(String(format: "%.1f", p95Ms)) ms; thread CPU p50 \(String(format: "%.1f", cpuP50Ms)) ms, p95 \(String(format: "%.1f", cpuP95Ms)) ms; about \(criteriaEvaluatedPerCase) criteria judged per case
            batch re-match: \(batchCases) cases in \(String(format: "%.2f", batchSeconds)) s on \(cores) cores = \(String(format: "%.1f", throughput)) cases/s
            """
            for c in perCase { out += "\n  \(c.name.padding(toLength: 28, withPad: " ", startingAt: 0)) p50 \(String(format: "%6.1f", c.p50Ms)) ms  \(c.options) options" }
            return out
        }
    }

    /// Case notes for the benchmark, written like referral letters (run through the real extractor).
    public static let caseNotes: [(String, String)] = [
        ("relapsed DLBCL", "Date of birth: 1961-03-14. Sex: male. Diagnosis: diffuse large B-cell lymphoma, diagnosed 2024-01. Stage IV. CD19 positive. First-line R-CHOP from 2024-02 to 2024-06, complete response. He relapsed in 2025-03. Second-line R-ICE from 2025-04 to 2025-06, refractory. ECOG 1. LVEF 55%. Creatinine 1.1 mg/dL."),
        ("myeloma after 4 lines", "Date of birth: 1955-09-02. Sex: female. Diagnosis: multiple myeloma, diagnosed 2019-04. First-line VRd from 2019-05 to 2019-10. Autologous stem cell transplant 2019-12. Second-line daratumumab, pomalidomide and dexamethasone 2021-03 to 2022-01. Third-line carfilzomib 2022-02 to 2023-01, refractory. Fourth-line teclistamab 2023-03 to 2024-02. ECOG 1."),
        ("EGFR NSCLC", "Date of birth: 1968-01-20. Sex: female. Diagnosis: non-small cell lung cancer, adenocarcinoma, diagnosed 2024-06. Stage IV. EGFR exon 19 deletion positive. First-line osimertinib from 2024-07 to 2025-08, progressed. ECOG 1. No brain metastases."),
        ("melanoma after PD-1", "Date of birth: 1972-05-11. Sex: male. Diagnosis: melanoma, diagnosed 2023-02. Stage IV. BRAF V600E positive. First-line nivolumab and ipilimumab from 2023-03 to 2024-01, progressed. ECOG 0. LDH 320 U/L."),
        ("B-ALL young adult", "Date of birth: 2003-08-30. Sex: male. Diagnosis: B-cell acute lymphoblastic leukemia, diagnosed 2024-09. CD19 positive. Induction chemotherapy 2024-09 to 2024-12. Relapsed 2025-08. ECOG 1."),
    ]

    public static func run(corpus: [String], scaleTo: Int, knowledge: KnowledgeBase, today: Day, repetitions: Int = 20,
                           trialLimit: Int = 50, log: (String) -> Void = { _ in }) throws -> Report {
        var report = Report(trialLimit: trialLimit)
        let decoder = JSONDecoder()
        let originals = corpus.compactMap { try? decoder.decode(Study.self, from: Data($0.utf8)) }
        precondition(!originals.isEmpty, "the benchmark needs at least one real study")
        let clock = Date()
        var catalog = TrialCatalog()
        let classifier = ModalityClassifier()
        let modalities = originals.map { classifier.classify($0) }
        for i in 0..<scaleTo {
            let j = i % originals.count
            let variant = i / originals.count
            var study = originals[j]
            if variant > 0 {
                study.protocolSection.identificationModule.nctId = String(format: "NCT9%07d", i % 10_000_000)
                study.protocolSection.identificationModule.briefTitle = "(Cohort \(variant)) " + (study.briefTitle ?? "")
                jitter(&study, seed: UInt64(i))
            }
            catalog.add(study, modalities: modalities[j])
            if (i + 1) % 100_000 == 0 { log("catalog: \(i + 1) studies, \(String(format: "%.0f", Date().timeIntervalSince(clock))) s") }
        }
        report.buildSeconds = Date().timeIntervalSince(clock)
        report.peakMB = TrialBenchmark.peakRSSMegabytes()
        try measure(catalog, knowledge: knowledge, today: today, repetitions: repetitions, into: &report)
        log("done")
        return report
    }

    /// Matches the benchmark's case notes against a catalog built elsewhere (the server's
    /// index read from its snapshot) and fills in the latency and throughput figures.
    public static func measure(_ catalog: TrialCatalog, knowledge: KnowledgeBase, today: Day, repetitions: Int = 20, trialLimit: Int = 50) throws -> Report {
        var report = Report(trialLimit: trialLimit)
        report.peakMB = TrialBenchmark.peakRSSMegabytes()
        try measure(catalog, knowledge: knowledge, today: today, repetitions: repetitions, into: &report)
        return report
    }

    static func measure(_ catalog: TrialCatalog, knowledge: KnowledgeBase, today: Day, repetitions: Int, into report: inout Report) throws {
        let trialLimit = report.trialLimit
        report.studies = catalog.count
        report.distinctCriteriaTexts = catalog.parsedCriteriaTexts
        let extractor = ProfileExtractor(lexicon: ClinicalLexicon(knowledgeBase: knowledge))
        let profiles = caseNotes.map { ($0.0, PatientProfile(facts: extractor.extract(text: $0.1, documentID: "bench"))) }
        let matcher = Matcher(knowledge: knowledge, trials: catalog)
        let settings = MatchSettings(today: today, trialLimit: trialLimit, candidateLimit: trialLimit * 2)
        var all: [Double] = []
        var cpu: [Double] = []
        var criteriaJudged = 0
        for (name, profile) in profiles {
            var result = matcher.match(profile, settings: settings) // warm-up
            var times: [Double] = []
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = threadCPUNanoseconds()
                result = matcher.match(profile, settings: settings)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpu.append(Double(threadCPUNanoseconds() - cpuStart) / 1e6)
            }
            criteriaJudged += result.options.reduce(0) { $0 + $1.verdicts.count }
            all += times
            report.perCase.append((name, TrialBenchmark.percentile(times, 0.5), result.options.count))
        }
        report.cases = profiles.count
        report.runs = all.count
        report.criteriaEvaluatedPerCase = criteriaJudged / max(1, profiles.count)
        report.p50Ms = TrialBenchmark.percentile(all, 0.5)
        report.p95Ms = TrialBenchmark.percentile(all, 0.95)
        report.cpuP50Ms = TrialBenchmark.percentile(cpu, 0.5)
        report.cpuP95Ms = TrialBenchmark.percentile(cpu, 0.95)

        // Batch re-match: every case many times, spread over the cores (the nightly re-match after an import).
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let perCore = max(1, repetitions) * profiles.count / cores + 1
        let clock = Date()
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            for k in 0..<perCore { _ = matcher.match(profiles[(core + k) % profiles.count].1, settings: settings) }
        }
        report.batchSeconds = Date().timeIntervalSince(clock)
        report.batchCases = perCore * cores
        report.cores = cores
    }

    /// CPU time used by the calling thread so far.
    static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Moves every site by up to ±0.05° (a few km), deterministically.
    static func jitter(_ study: inout Study, seed: UInt64) {
        guard var locations = study.protocolSection.contactsLocationsModule?.locations else { return }
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for index in locations.indices {
            guard var point = locations[index].geoPoint else { continue }
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            point.lat += (Double(state % 10_000) / 10_000 - 0.5) * 0.1
            point.lon += (Double((state >> 20) % 10_000) / 10_000 - 0.5) * 0.1
            locations[index].geoPoint = point
        }
        study.protocolSection.contactsLocationsModule?.locations = locations
    }
}
