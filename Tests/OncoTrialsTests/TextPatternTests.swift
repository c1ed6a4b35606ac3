import Foundation
import Testing
@testable import OncoTrials

@Suite("Literal gates: a rule's regular expression is skipped only where it cannot match")
struct TextPatternTests {
    @Test("the literals every match must contain are read from the pattern")
    func literalsOfPatterns() {
        #expect(LiteralGate.literals(of: #"\bhiv\b|human immunodeficiency virus|\baids\b"#, caseInsensitive: false)
            == ["aids", "hiv", "human immunodeficiency virus"])
        // Optional letters end a literal; the longest required piece of a sequence is kept.
        #expect(LiteralGate.literals(of: #"(?:active|uncontrolled)\s+(?:\w+\s+){0,3}infections?"#, caseInsensitive: false) == ["infection"])
        #expect(LiteralGate.literals(of: #"Karnofsky|\bKPS\b"#, caseInsensitive: true) == ["karnofsky", "kps"])
        // A branch with nothing literal means no gate at all.
        #expect(LiteralGate.literals(of: #"hepatitis|\d+"#, caseInsensitive: false) == nil)
        #expect(LiteralGate.literals(of: #"^\s*\d"#, caseInsensitive: false) == nil)
        // Escaped metacharacters are literal; classes and look-arounds are not.
        #expect(LiteralGate.literals(of: #"\(\+\)|[ab]cd(?=e)x"#, caseInsensitive: false) == ["(+)", "cd"])
    }

    @Test("no criterion on which a rule matches is ever gated out")
    func gatesAreConservativeOnRealCriteria() throws {
        let texts = SharedData.oncologyStudies.values.compactMap(\.eligibilityCriteria).prefix(150)
        guard !texts.isEmpty else { return }
        var patterns: [TextPattern] = [QuantityFinder.rangePattern, QuantityFinder.comparatorPattern, QuantityFinder.trailingPattern,
                                       QuantityFinder.timeWindowPattern, QuantityFinder.listPattern, ConstraintExtractor.stageRegex,
                                       ConstraintExtractor.linesRegex, ConstraintExtractor.ordinalLineRegex, ConstraintExtractor.priorContext]
        patterns += ConstraintExtractor.analyteRegexes.map(\.1) + ConstraintExtractor.diseaseStatusRules.map(\.1)
            + ConstraintExtractor.washoutTherapies.map(\.0) + ConstraintExtractor.performanceScales.map(\.1)
        #expect(patterns.filter { $0.literals != nil }.count > patterns.count / 2)
        var checked = 0
        for text in texts {
            for line in text.split(separator: "\n") {
                let lower = line.lowercased()
                let gate = GateText(lowercased: lower)
                for pattern in patterns where !pattern.mayMatch(gate) {
                    #expect(pattern.regex.firstMatch(in: lower, range: NSRange(location: 0, length: lower.utf16.count)) == nil,
                            "\(pattern.regex.pattern) matches \(lower)")
                    checked += 1
                }
            }
        }
        #expect(checked > 1000)
    }
}

@Suite("Stored criteria")
struct StoredCriteriaTests {
    @Test("a stored parse reads back equal to the parse, ranges included")
    func roundTrip() throws {
        let texts = SharedData.oncologyStudies.values.compactMap(\.eligibilityCriteria).prefix(40)
        guard !texts.isEmpty else { return }
        let parser = EligibilityParser()
        for text in texts {
            let parsed = parser.parse(text)
            let read = try StoredCriteria.decode(StoredCriteria.encode(parsed), text: text)
            #expect(read == parsed)
        }
    }

    @Test("a stored parse that does not fit the text is refused")
    func mismatch() throws {
        let parsed = EligibilityParser().parse("Inclusion Criteria:\n- Age 18 years or older\n- ECOG 0-1")
        #expect(throws: StoredCriteria.Mismatch.self) { try StoredCriteria.decode(StoredCriteria.encode(parsed), text: "short") }
    }
}
