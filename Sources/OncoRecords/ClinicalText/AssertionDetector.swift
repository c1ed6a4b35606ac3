import Foundation

/// Whether a mention is asserted, negated, hedged, hypothetical (requested, pending,
/// planned, discussed), historical, or about someone else — read by the ConText algorithm
/// (`ConText`) from trigger phrases in the mention's sentence and from its section.
struct Assertion: Hashable {
    var isNegated = false
    var isUncertain = false
    /// A relative or another person is the experiencer ("his sister … breast cancer").
    var isAboutFamily = false
    /// Requested, pending, planned, considered, discussed, referred for: not a fact yet.
    var isHypothetical = false
    /// An earlier state ("at diagnosis", "previously"): true then, maybe not now.
    var isHistorical = false
    /// The trigger phrase, so the quoted span can include it.
    var triggerRange: Range<String.Index>?

    /// Neither about another person nor only requested or planned: the fact may be shown.
    var isAboutThePatientsRecord: Bool { !isAboutFamily && !isHypothetical }
}

enum AssertionDetector {
    /// Clause terminators still used to bound result windows in tables and lists.
    static let terminators = Pattern(#"\b(but|however|although|though|except|aside from|apart from|which|whereas|yet|while|after|since|following)\b|[;]"#)

    /// The assertion of `mention` from the ConText `modifiers` of its sentence and the
    /// `sections` of the document.
    static func assess(_ mention: Range<String.Index>, in text: String, modifiers: [ConText.Modifier],
                       sections: [(range: Range<String.Index>, category: ConText.Category)]) -> Assertion {
        var assertion = Assertion()
        var nearest: [ConText.Category: (distance: Int, range: Range<String.Index>)] = [:]
        for modifier in modifiers {
            guard let category = modifier.category, !modifier.range.overlaps(mention), modifier.scope.overlaps(mention) else { continue }
            let distance = modifier.range.upperBound <= mention.lowerBound
                ? text.distance(from: modifier.range.upperBound, to: mention.lowerBound)
                : text.distance(from: mention.upperBound, to: max(mention.upperBound, modifier.range.lowerBound))
            if let current = nearest[category], current.distance <= distance { continue }
            nearest[category] = (distance, modifier.range)
        }
        for section in sections where section.range.contains(mention.lowerBound) {
            if nearest[section.category] == nil { nearest[section.category] = (Int.max, mention.lowerBound..<mention.lowerBound) }
        }
        assertion.isNegated = nearest[.negated] != nil
        assertion.isUncertain = nearest[.possible] != nil
        assertion.isHypothetical = nearest[.hypothetical] != nil
        assertion.isHistorical = nearest[.historical] != nil
        assertion.isAboutFamily = nearest[.family] != nil
        // The quote shows the trigger that matters most for how the fact reads.
        for category in [ConText.Category.negated, .possible, .hypothetical, .family] {
            if let found = nearest[category], !found.range.isEmpty {
                assertion.triggerRange = found.range
                break
            }
        }
        return assertion
    }
}
