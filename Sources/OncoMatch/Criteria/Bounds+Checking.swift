import Foundation
import OncoTrials

extension Bounds {
    /// Whether `value` lies within the bounds.
    func contains(_ value: Double) -> Bool {
        if let lower, lower.inclusive ? value < lower.value : value <= lower.value { return false }
        if let upper, upper.inclusive ? value > upper.value : value >= upper.value { return false }
        return true
    }

    /// Three-valued: whether every value in `range` is inside (true), none is (false), or some are (nil).
    func contains(range: ClosedRange<Double>) -> Bool? {
        let low = contains(range.lowerBound), high = contains(range.upperBound)
        if low && high { return true }
        // Bounds are an interval, so if neither end is inside and both ends lie on the same side, none is.
        if !low && !high {
            if let lower, range.upperBound < lower.value || (range.upperBound == lower.value && !lower.inclusive) { return false }
            if let upper, range.lowerBound > upper.value || (range.lowerBound == upper.value && !upper.inclusive) { return false }
        }
        return nil
    }

    /// "at least 2", "at most 1", "0 to 1" — with an optional unit.
    func phrase(unit: String? = nil) -> String {
        let u = unit.map { $0 == "%" ? "%" : " " + $0 } ?? ""
        func n(_ value: Double) -> String { Self.number(value) }
        switch (lower, upper) {
        case let (l?, h?): return "\(n(l.value)) to \(n(h.value))\(u)"
        case let (l?, nil): return "\(l.inclusive ? "at least" : "more than") \(n(l.value))\(u)"
        case let (nil, h?): return "\(h.inclusive ? "at most" : "less than") \(n(h.value))\(u)"
        case (nil, nil): return "(no limit stated)"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%g", value)
    }
}
