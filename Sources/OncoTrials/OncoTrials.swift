// OncoTrials — ClinicalTrials.gov studies for OncoNav (pure Swift: Foundation + ZIPFoundation).
//
// Entry points
// - `StudyImportReader(source: .file(url) | .standardInput).read { record in … }` streams
//   `StudyImportRecord.study(ImportedStudy)` / `.failure(RecordFailure)` from one study,
//   an array, an API page, JSON lines or the bulk ZIP (detected from the content).
//   Bookkeeping: `ImportSummary`, `ImportProgress`; storage: `RawStudyCompression`,
//   `StudyParser.reparse(raw:)`.
// - `Study` — the API v2 model; flat accessors in `Study+Accessors.swift`.
// - `ModalityClassifier().classify(study) -> Set<TherapyModality>`.
// - `EligibilityParser().parse(text) -> [Criterion]`, each with `[CriterionConstraint]`
//   and `plainLanguage`; `CriterionSpanTagger().tag(text)` and `CriteriaLineEvaluation`
//   measure the entity layer.
//
// The knowledge seam
// `ConceptLexicon` is the only ontology input: `[Entry(term:conceptID:kind:modality:)]`
// (every synonym of a concept shares its `conceptID`) plus optional extra `expansions`.
// `ConceptLexicon.oncologyDefault` is a small built-in set; the knowledge base builds a
// fuller one and passes it to `EligibilityParser(lexicon:)`, `ModalityClassifier(lexicon:)`
// and `TrialIndex(lexicon:isA:)` (OncoMatch), or `add(_:)`s its entries to the default.
