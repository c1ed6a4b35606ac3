import Foundation

/// Stored and sent as `{"field": "biomarker", "fact": {…}}` — a stable, readable shape for
/// the database and the JSON API (the synthesized enum coding would nest under "_0").
extension ProfileFact {
    private enum CodingKeys: String, CodingKey { case field, fact }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let field = try container.decode(ProfileField.self, forKey: .field)
        func fact<V: ProfileValue>(_: V.Type = V.self) throws -> Fact<V> { try container.decode(Fact<V>.self, forKey: .fact) }
        switch field {
        case .birthDate: self = .birthDate(try fact())
        case .age: self = .age(try fact())
        case .sex: self = .sex(try fact())
        case .primaryCancer: self = .primaryCancer(try fact())
        case .secondaryCancer: self = .secondaryCancer(try fact())
        case .histology: self = .histology(try fact())
        case .stage: self = .stage(try fact())
        case .biomarker: self = .biomarker(try fact())
        case .treatmentLine: self = .treatmentLine(try fact())
        case .transplant: self = .transplant(try fact())
        case .priorCellTherapy: self = .priorCellTherapy(try fact())
        case .performanceStatus: self = .performanceStatus(try fact())
        case .lab: self = .lab(try fact())
        case .lvef: self = .lvef(try fact())
        case .cnsInvolvement: self = .cnsInvolvement(try fact())
        case .infection: self = .infection(try fact())
        case .pregnancy: self = .pregnancy(try fact())
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        switch self {
        case .birthDate(let f): try container.encode(f, forKey: .fact)
        case .age(let f): try container.encode(f, forKey: .fact)
        case .sex(let f): try container.encode(f, forKey: .fact)
        case .primaryCancer(let f): try container.encode(f, forKey: .fact)
        case .secondaryCancer(let f): try container.encode(f, forKey: .fact)
        case .histology(let f): try container.encode(f, forKey: .fact)
        case .stage(let f): try container.encode(f, forKey: .fact)
        case .biomarker(let f): try container.encode(f, forKey: .fact)
        case .treatmentLine(let f): try container.encode(f, forKey: .fact)
        case .transplant(let f): try container.encode(f, forKey: .fact)
        case .priorCellTherapy(let f): try container.encode(f, forKey: .fact)
        case .performanceStatus(let f): try container.encode(f, forKey: .fact)
        case .lab(let f): try container.encode(f, forKey: .fact)
        case .lvef(let f): try container.encode(f, forKey: .fact)
        case .cnsInvolvement(let f): try container.encode(f, forKey: .fact)
        case .infection(let f): try container.encode(f, forKey: .fact)
        case .pregnancy(let f): try container.encode(f, forKey: .fact)
        }
    }
}
