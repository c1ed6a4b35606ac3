import Foundation

/// Reduces WordprocessingML (`word/document.xml`) to text: one line per paragraph,
/// tabs and breaks kept, tags dropped, the five XML entities and numeric references decoded.
/// A tag-level reading is enough here: we need the words, not the layout, and it avoids a
/// libxml2 dependency on Linux.
///
/// The XML comes from an uploaded file, so the reading is built not to be stalled by it:
/// one pass over the bytes (no regular expressions, which take quadratic time on a run of
/// unclosed `<`), a cap on the text it produces, and a deadline and task cancellation
/// checked as it goes.
enum WordprocessingXML {
    struct Limits {
        /// The most text kept; the rest is dropped with a warning.
        var maximumTextBytes = 4 << 20
        /// The reading stops with `timedOut` past this.
        var timeLimit: Duration = .seconds(20)
    }

    struct Result {
        var text: String
        var truncated: Bool
    }

    static func read(_ xml: Data, limits: Limits) throws -> Result {
        let deadline = ContinuousClock.now.advanced(by: limits.timeLimit)
        var output: [UInt8] = []
        output.reserveCapacity(min(xml.count, limits.maximumTextBytes))
        var truncated = false
        try xml.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            var index = 0
            var nextCheck = 1 << 20
            while index < count {
                if index >= nextCheck {
                    nextCheck = index + (1 << 20)
                    if Task.isCancelled { throw CancellationError() }
                    if ContinuousClock.now > deadline {
                        throw TextExtractionError.timedOut(tool: "DOCX reader", seconds: Int(limits.timeLimit.components.seconds))
                    }
                }
                if output.count >= limits.maximumTextBytes {
                    truncated = true
                    break
                }
                let byte = bytes[index]
                guard byte == UInt8(ascii: "<") else {
                    output.append(byte)
                    index += 1
                    continue
                }
                // A tag: find its end once; an unclosed tag ends the document.
                var end = index + 1
                while end < count, bytes[end] != UInt8(ascii: ">") { end += 1 }
                guard end < count else { break }
                if let replacement = replacement(forTag: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])) {
                    output.append(replacement)
                }
                index = end + 1
            }
        }
        let text = decodeEntities(String(decoding: output, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines)
        return Result(text: text, truncated: truncated)
    }

    /// The character a tag stands for: `</w:p>` ends a line, `<w:tab/>` is a tab,
    /// `<w:br …/>` and `<w:cr …/>` are line breaks. Other tags stand for nothing.
    private static func replacement(forTag tag: UnsafeBufferPointer<UInt8>) -> UInt8? {
        let closing: [UInt8] = Array("/w:p".utf8)
        if tag.elementsEqual(closing) { return UInt8(ascii: "\n") }
        guard tag.count >= 5, tag.last == UInt8(ascii: "/") else { return nil }
        let body = tag.dropLast()
        var nameEnd = body.startIndex
        while nameEnd < body.endIndex, !isSpace(body[nameEnd]) { nameEnd += 1 }
        let name = body[body.startIndex..<nameEnd]
        let rest = body[nameEnd...]
        if name.elementsEqual("w:tab".utf8), rest.allSatisfy(isSpace) { return UInt8(ascii: "\t") }
        if name.elementsEqual("w:br".utf8) || name.elementsEqual("w:cr".utf8) { return UInt8(ascii: "\n") }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let afterAmp = rest[amp...]
            if let semi = afterAmp.prefix(12).firstIndex(of: ";") {
                let entity = afterAmp[afterAmp.index(after: amp)..<semi]
                if let decoded = decodeEntity(entity) {
                    result += decoded
                    rest = afterAmp[afterAmp.index(after: semi)...]
                    continue
                }
            }
            result += "&"
            rest = afterAmp.dropFirst()
        }
        return result + rest
    }

    private static func decodeEntity(_ entity: Substring) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var number: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") { number = UInt32(entity.dropFirst(2), radix: 16) }
            else if entity.hasPrefix("#") { number = UInt32(entity.dropFirst()) }
            return number.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
