import Foundation
import OncoRecords
import OncoTrials

/// Laboratory values in one canonical unit per analyte, and the range of upper limits of
/// normal that laboratories commonly use. A "× ULN" threshold is decided only when the
/// value falls on the same side of it for every ULN in that range; otherwise it depends on
/// the reporting laboratory's own limit and stays unknown.
enum LabUnits {
    /// Profile lab names (as `ProfileExtractor` and the FHIR importer write them) per analyte.
    static func names(_ analyte: LabThreshold.Analyte) -> [String] {
        switch analyte {
        case .creatinine: ["creatinine"]
        case .creatinineClearance: ["creatinine clearance", "crcl"]
        case .egfr: ["egfr"]
        case .bilirubin: ["bilirubin", "total bilirubin"]
        case .ast: ["ast"]
        case .alt: ["alt"]
        case .astAlt: ["ast", "alt"]
        case .anc: ["anc", "absolute neutrophil count"]
        case .platelets: ["platelets", "platelet count"]
        case .haemoglobin: ["hemoglobin", "haemoglobin"]
        case .lvef: ["lvef"]
        case .oxygenSaturation: ["oxygen saturation", "spo2"]
        case .wbc: ["wbc"]
        case .lymphocytes: ["alc", "absolute lymphocyte count"]
        case .albumin: ["albumin"]
        case .inr: ["inr"]
        case .alkalinePhosphatase: ["alkaline phosphatase", "alp"]
        }
    }

    /// The canonical unit shown in reasons.
    static func canonicalUnit(_ analyte: LabThreshold.Analyte) -> String {
        switch analyte {
        case .creatinine, .bilirubin: "mg/dL"
        case .creatinineClearance, .egfr: "mL/min"
        case .ast, .alt, .astAlt, .alkalinePhosphatase: "U/L"
        case .anc, .platelets, .wbc, .lymphocytes: "×10⁹/L"
        case .haemoglobin, .albumin: "g/dL"
        case .lvef, .oxygenSaturation: "%"
        case .inr: ""
        }
    }

    /// `value` in `unit` converted to the analyte's canonical unit; nil when the unit is not understood.
    static func canonical(_ value: Double, unit: String?, analyte: LabThreshold.Analyte) -> Double? {
        let u = (unit ?? "").lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "μ", with: "µ")
        switch analyte {
        case .creatinine:
            if u.contains("mol") { return value / 88.4 }
            return u.isEmpty || u.contains("mg/dl") ? value : nil
        case .bilirubin:
            if u.contains("mol") { return value / 17.1 }
            return u.isEmpty || u.contains("mg/dl") ? value : nil
        case .anc, .platelets, .wbc, .lymphocytes:
            if u.hasPrefix("/") || u.hasPrefix("cells/") || u.contains("mm3") || u == "/µl" { return value / 1000 }
            if u.contains("10^9") || u.contains("10⁹") || u.contains("109/l") || u.contains("k/") || u.contains("10^3") || u.contains("10³") { return value }
            if u.isEmpty {
                // Unitless counts: thousands per µL are written as whole numbers ("ANC 1500").
                return value >= (analyte == .platelets ? 1000 : 100) ? value / 1000 : value
            }
            return nil
        case .haemoglobin:
            if u.contains("mmol") { return value * 1.611 }
            if u.contains("g/l") && !u.contains("dl") { return value / 10 }
            return u.isEmpty || u.contains("g/dl") ? value : nil
        case .albumin:
            if u.contains("g/l") && !u.contains("dl") { return value / 10 }
            return u.isEmpty || u.contains("g/dl") ? value : nil
        case .creatinineClearance, .egfr, .ast, .alt, .astAlt, .alkalinePhosphatase, .lvef, .oxygenSaturation, .inr:
            return value
        }
    }

    /// Range of upper limits of normal in common adult reference ranges (canonical units);
    /// nil for analytes whose thresholds are not stated as multiples of the ULN.
    static func upperLimitOfNormal(_ analyte: LabThreshold.Analyte) -> ClosedRange<Double>? {
        switch analyte {
        case .bilirubin: 1.0...1.3
        case .ast: 31...48
        case .alt: 29...56
        case .astAlt: 29...56
        case .creatinine: 0.95...1.35
        case .alkalinePhosphatase: 104...147
        case .inr: 1.1...1.3
        default: nil
        }
    }
}
