import Foundation

/// Whether a mention is asserted, negated, hedged, or about someone else — a small NegEx:
/// trigger phrases shortly before or after the mention, within the same clause.
struct Assertion: Hashable {
    var isNegated = false
    var isUncertain = false
    /// "family history of …": not the patient's own finding.
    var isAboutFamily = false
    /// The trigger phrase, so the quoted span can include it.
    var triggerRange: Range<String.Index>?
}

enum AssertionDetector {
    static let uncertainBefore = Pattern(#"\b(possible|possibly|probable|probably|suspicious (for|of)|suspected|suspect|suspicion of|concerning for|worrisome for|question of|questionable|may (be|represent|have)|might|likely|cannot (exclude|rule out)|can ?not (exclude|rule out)|rule out|r/o|equivocal for|differential (diagnosis )?includes|presumed|presumptive|indeterminate|suggestive of|suggesting)\b"#)
    static let uncertainAfter = Pattern(#"^[^.;]{0,30}?\b(cannot be (excluded|ruled out)|can ?not be (excluded|ruled out)|not (entirely )?excluded|is suspected|was suspected|is possible|is likely|is not excluded|is questioned|remains? (unclear|uncertain|possible))\b|^\s*\?"#)
    static let negatedBefore = Pattern(#"\b(no|not|denies|denied|denying|without|no evidence of|no signs? of|no sign or symptom of|negative for|free of|free from|absence of|absent|ruled out|rules out|never|no history of|no prior|no previous|none|nor|neither|lack of|not (seen|identified|detected|demonstrated))\b"#)
    /// "(Ph-negative)" qualifies another word, so a result glued to a hyphen does not count.
    static let negatedAfter = Pattern(#"^[^.;]{0,25}?(?<![-/])\b(was|were|is|are|has been|have been)? ?(ruled out|excluded|not seen|not identified|not detected|not present|not demonstrated|absent|negative|unlikely|resolved)\b"#)
    static let family = Pattern(#"\b(family history|mother|father|sister|brother|aunt|uncle|grandmother|grandfather|cousin|sibling)\b[^.;]{0,40}$"#)
    static let terminators = Pattern(#"\b(but|however|although|though|except|aside from|apart from|which|whereas|yet|while|after|since|following)\b|[;]"#)

    /// How far (characters) before the mention a trigger may be; NegEx uses about five words.
    static let windowBefore = 50
    static let windowAfter = 45

    /// The assertion status of `mention` inside `sentence` of `text`.
    static func assess(_ mention: Range<String.Index>, sentence: Range<String.Index>, in text: String) -> Assertion {
        var assertion = Assertion()
        // A mention may run past its sentence ("t(4; 14)" split at "; "): read the union.
        let sentence = min(sentence.lowerBound, mention.lowerBound)..<max(sentence.upperBound, mention.upperBound)
        // Text before the mention, cut at the last clause terminator and to the window.
        var beforeStart = text.index(mention.lowerBound, offsetBy: -windowBefore, limitedBy: sentence.lowerBound) ?? sentence.lowerBound
        if beforeStart < sentence.lowerBound { beforeStart = sentence.lowerBound }
        if let lastTerminator = terminators.matches(in: text, range: beforeStart..<mention.lowerBound).last {
            beforeStart = lastTerminator.range.upperBound
        }
        let before = beforeStart..<mention.lowerBound
        var afterEnd = text.index(mention.upperBound, offsetBy: windowAfter, limitedBy: sentence.upperBound) ?? sentence.upperBound
        if afterEnd > sentence.upperBound { afterEnd = sentence.upperBound }
        if let firstTerminator = terminators.firstMatch(in: text, range: mention.upperBound..<afterEnd) {
            afterEnd = firstTerminator.range.lowerBound
        }
        let after = mention.upperBound..<afterEnd

        if family.firstMatch(in: text, range: sentence.lowerBound..<mention.lowerBound) != nil {
            assertion.isAboutFamily = true
        }
        // Uncertainty first: "cannot be excluded" must not read as the negation "excluded".
        var uncertainRanges: [Range<String.Index>] = []
        if let match = uncertainBefore.matches(in: text, range: before).last {
            assertion.isUncertain = true
            assertion.triggerRange = match.range
            uncertainRanges.append(match.range)
        }
        if let match = uncertainAfter.firstMatch(in: text, range: after) {
            assertion.isUncertain = true
            assertion.triggerRange = assertion.triggerRange ?? match.range
            uncertainRanges.append(match.range)
        }
        if let match = negatedBefore.matches(in: text, range: before).last,
           !uncertainRanges.contains(where: { $0.overlaps(match.range) }) {
            assertion.isNegated = true
            assertion.triggerRange = match.range
        } else if let match = negatedAfter.firstMatch(in: text, range: after),
                  !uncertainRanges.contains(where: { $0.overlaps(match.range) }) {
            let phrase = text[match.range].lowercased()
            if phrase.contains("unlikely") {
                assertion.isUncertain = true
            } else {
                assertion.isNegated = true
            }
            assertion.triggerRange = assertion.triggerRange ?? match.range
        }
        return assertion
    }
}
