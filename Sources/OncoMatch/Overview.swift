// OncoMatch — criterion-by-criterion matching of a case against approved product labels
// and clinical trials. Pure Swift + Foundation; no HTTP, no database, no clock (pass `today`).
//
// Entry points for the server (all results Codable + Sendable, ready to render or return as JSON):
//
//   Matcher(knowledge:trials:).match(_ profile: PatientProfile, settings: MatchSettings) -> MatchReport
//       Ranked options (approved indications per region, trials, KB approaches when no CAR-T
//       label fits), each with per-criterion verdicts, plus the to-do list.
//       MatchSettings(today:region:near:trialLimit:candidateLimit:openTrialsOnly:toDoDepth:)
//   MatchReport.diff(_ old: MatchReport, _ new: MatchReport) -> MatchDiff     ("what changed")
//   TrialCatalog(lexicon:) / .add(_ study:) / TrialCatalog.load(_ url:) -> (catalog, failures)
//       The trial index plus each study's criteria parsed once (shared across identical texts).
//   CriterionEvaluator(knowledge:lexicon:).evaluate(_ criterion: Criterion, profile:today:) -> CriterionVerdict
//   LabelEvaluator(knowledge:).evaluate(_ indication: LabelIndication, profile:today:) -> [CriterionVerdict]
//   ToDoList.build(from: [MatchOption]) -> [ToDoItem]
//   CaseLoader(knowledge:).profile(from: [(name, data)]) async throws -> (profile, warnings)
//       A PatientProfile JSON, a FHIR R4 bundle, or documents through OncoRecords' DocumentProcessor.
//   (facts use OncoRecords' ClinicalLexicon(knowledgeBase:), so their ids are the knowledge base's)
//
// Verdicts: met / notMet / unknown / notApplicable, each with a descriptive one-line reason,
// the FactSummary evidence (document id + span provenance) and, when unknown, the
// InformationNeed that would settle it. Unknown is never turned into met or not met:
// a record that does not mention something is not evidence of its absence.
// Option status: eligibleAllMet · mayBeEligible(unknownCount) · notEligible(firstFailingCriterion)
// · toDiscuss (a knowledge-base approach, no criteria). OptionStatus.label has the plain words.
// Ranking: status first, then relevance (condition fit, modality, phase, open sites, distance).
// Lines of therapy are counted the way labels count them (CaseReading.countLines): bridging,
// maintenance, consolidation and conditioning belong to their line; one line told twice counts once.
// "× ULN" thresholds are decided only when every common upper limit of normal agrees (LabUnits).
//
// Evaluation and benchmarks (library code; the CLI wires them):
//   CriterionAnnotationEvaluation.run(pairs:knowledge:) — physician-labelled patient–criterion pairs
//   RankingEvaluation.run(queries:qrels:corpus:…) — nDCG@10, P@10, recall@k on TREC-style judgements
//   MatchBenchmark.run(…) — ranked top 50 with every criterion evaluated, at registry scale
//   TrialIndex / TrialBenchmark (TrialIndex/) — the in-memory search index and its benchmark.
