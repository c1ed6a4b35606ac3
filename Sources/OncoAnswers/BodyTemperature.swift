import Foundation

/// A body temperature written as a reading ("he just measured 38.4 °C", "temp 101F").
///
/// The CAR-T medication guides and the ASTCT consensus grading of cytokine release syndrome
/// call a temperature of 38 °C (100.4 °F) or higher a fever, so a reading at or above that
/// counts as a fever whether or not the word is used.
enum BodyTemperature {
    static let feverCelsius = 38.0
    static let feverFahrenheit = 100.4

    /// A number with a temperature unit ("38.4 °C", "38,4C", "101 F", "39 degrees"), or after
    /// "temp"/"temperature" without a unit.
    private static let withUnit = try! NSRegularExpression(
        pattern: #"(?<![\d.,])(\d{2,3}(?:[.,]\d{1,2})?)\s*(?:°|º|˚|degrees?|deg)?\s*(c|f|celsius|fahrenheit|centigrade)?(?![a-z])"#,
        options: [.caseInsensitive])
    private static let cue = try! NSRegularExpression(
        pattern: #"\b(temp|temperature|measured|thermometer|reading|°|º|degrees?)\b|°|º"#, options: [.caseInsensitive])

    /// Whether the text holds a reading at fever level.
    static func feverReading(in text: String) -> Bool { readings(in: text).contains(where: \.isFever) }

    /// Whether the text gives readings and none is at fever level ("is 36.9 °C normal?").
    static func onlyNormalReadings(in text: String) -> Bool {
        let found = readings(in: text)
        return !found.isEmpty && !found.contains(where: \.isFever)
    }

    private struct Reading { var isFever: Bool }

    private static func readings(in text: String) -> [Reading] {
        var found: [Reading] = []
        let range = NSRange(text.startIndex..., in: text)
        let hasCue = cue.firstMatch(in: text, range: range) != nil
        for match in withUnit.matches(in: text, range: range) {
            guard let numberRange = Range(match.range(at: 1), in: text),
                  let value = Double(text[numberRange].replacingOccurrences(of: ",", with: ".")) else { continue }
            let unit = Range(match.range(at: 2), in: text).map { text[$0].lowercased().prefix(1) }
            let whole = text[Range(match.range, in: text)!]
            let marked = unit != nil || whole.contains("°") || whole.contains("º") || whole.contains("˚")
            guard marked || hasCue else { continue }
            switch unit {
            case "f": if (90..<110).contains(value) { found.append(Reading(isFever: value >= feverFahrenheit)) }
            case "c": if (30..<44).contains(value) { found.append(Reading(isFever: value >= feverCelsius)) }
            default:
                // No unit: the range says which scale it is on.
                if (34..<44).contains(value) { found.append(Reading(isFever: value >= feverCelsius)) }
                if (95..<110).contains(value) { found.append(Reading(isFever: value >= feverFahrenheit)) }
            }
        }
        return found
    }
}
