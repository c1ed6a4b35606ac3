import Foundation

/// Review operations on a type-erased fact: what the server needs when a person confirms,
/// rejects or corrects a value.
extension ProfileFact {
    public var id: UUID { summary.id }

    /// The same fact with a new review status.
    public func withStatus(_ status: FactStatus) -> ProfileFact {
        changingMetadata { _, current, _, _ in current = status }
    }

    /// A person's correction: a new fact (new id) entered by `person`, replacing nothing in
    /// place — the original stays in the record with its own status.
    public func asManualEntry(by person: String, at date: Date) -> ProfileFact {
        changingMetadata { id, status, provenance, confidence in
            id = UUID()
            status = .confirmed(by: person, at: date)
            provenance = Provenance(source: .manual(enteredBy: person), method: .manualEntry)
            confidence = 1
        }
    }

    private func changingMetadata(_ change: (inout UUID, inout FactStatus, inout Provenance, inout Double) -> Void) -> ProfileFact {
        switch self {
        case .birthDate(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .birthDate(f)
        case .age(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .age(f)
        case .sex(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .sex(f)
        case .primaryCancer(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .primaryCancer(f)
        case .secondaryCancer(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .secondaryCancer(f)
        case .histology(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .histology(f)
        case .stage(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .stage(f)
        case .biomarker(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .biomarker(f)
        case .treatmentLine(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .treatmentLine(f)
        case .transplant(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .transplant(f)
        case .priorCellTherapy(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .priorCellTherapy(f)
        case .performanceStatus(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .performanceStatus(f)
        case .lab(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .lab(f)
        case .lvef(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .lvef(f)
        case .cnsInvolvement(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .cnsInvolvement(f)
        case .infection(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .infection(f)
        case .pregnancy(var f): change(&f.id, &f.status, &f.provenance, &f.confidence); return .pregnancy(f)
        }
    }
}
