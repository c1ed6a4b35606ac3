import Foundation

/// The families of cancer therapy OncoNav distinguishes. Cell and gene therapies come
/// first; the last cases are comparators that are *not* cell or gene therapy but that a
/// patient weighing CAR-T is often offered instead.
///
/// The raw values are stable identifiers used in knowledge files, the database and the
/// JSON API: add cases, never rename them.
public enum TherapyModality: String, Codable, Sendable, CaseIterable, Hashable {
    case carT = "car-t"
    case tcrT = "tcr-t"
    case til = "til"
    case nkCell = "nk-cell"
    case oncolyticVirus = "oncolytic-virus"
    case geneTransfer = "gene-transfer"
    case crisprEdited = "crispr-edited"
    case vaccine = "vaccine"
    case bispecific = "bispecific"
    case transplant = "transplant"
    case checkpointInhibitor = "checkpoint-inhibitor"
    case targetedTherapy = "targeted-therapy"
    case other = "other"
    /// Donor T cells selected to recognise a virus (e.g. EBV) in virus-driven cancers.
    case virusSpecificTCell = "virus-specific-t-cell"
    /// Stem cell products that support a transplant (e.g. expanded cord blood).
    case stemCellGraft = "stem-cell-graft"

    /// A short name a patient recognises.
    public var displayName: String {
        switch self {
        case .carT: "CAR-T cell therapy"
        case .tcrT: "TCR-T cell therapy"
        case .til: "Tumour-infiltrating lymphocyte (TIL) therapy"
        case .nkCell: "NK and CAR-NK cell therapy"
        case .oncolyticVirus: "Oncolytic virus therapy"
        case .geneTransfer: "Gene transfer (gene therapy)"
        case .crisprEdited: "CRISPR / gene-edited cell therapy"
        case .vaccine: "Cancer vaccine (neoantigen / mRNA)"
        case .bispecific: "Bispecific T-cell engager"
        case .transplant: "Allogeneic stem cell transplant"
        case .checkpointInhibitor: "Checkpoint inhibitor"
        case .targetedTherapy: "Targeted therapy"
        case .other: "Other"
        case .virusSpecificTCell: "Virus-specific T-cell therapy"
        case .stemCellGraft: "Engineered stem cell graft"
        }
    }

    /// Whether this is one of the comparators (bispecific engagers, checkpoint inhibitors,
    /// targeted therapy) that are not cell or gene therapies but are often the alternative
    /// a patient is offered. Vaccines and transplant are listed with the cell and gene
    /// approaches, as the patient guidelines discuss them together.
    public var isComparator: Bool {
        switch self {
        case .bispecific, .checkpointInhibitor, .targetedTherapy, .other: true
        default: false
        }
    }
}
