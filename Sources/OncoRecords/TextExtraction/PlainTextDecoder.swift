import Foundation

/// Decodes plain text whose encoding nobody told us: BOM first (UTF-8, UTF-16 LE/BE),
/// then strict UTF-8, then Windows-1252 (which, unlike Latin-1, maps the curly quotes and
/// dashes that word processors export). Line endings are normalised to "\n".
enum PlainTextDecoder {
    static func decode(_ data: Data) -> String? {
        let text: String?
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            text = String(data: data.dropFirst(3), encoding: .utf8)
        } else if data.starts(with: [0xFF, 0xFE]) {
            text = String(data: data.dropFirst(2), encoding: .utf16LittleEndian)
        } else if data.starts(with: [0xFE, 0xFF]) {
            text = String(data: data.dropFirst(2), encoding: .utf16BigEndian)
        } else if let utf8 = String(data: data, encoding: .utf8) {
            text = utf8
        } else {
            text = String(data: data, encoding: .windowsCP1252) ?? String(data: data, encoding: .isoLatin1)
        }
        return text?.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}

/// Reduces WordprocessingML (`word/document.xml`) to text: one line per paragraph,
/// tabs and breaks kept, tags dropped, the five XML entities and numeric references decoded.
/// A tag-level reading is enough here: we need the words, not the layout, and it avoids a
/// libxml2 dependency on Linux.
enum WordprocessingXML {
    static func text(fromDocumentXML xml: String) -> String {
        var text = xml
        text = text.replacingOccurrences(of: "</w:p>", with: "\n")
        text = text.replacingOccurrences(of: #"<w:tab\s*/>"#, with: "\t", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<w:(br|cr)\b[^>]*/>"#, with: "\n", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        return decodeEntities(text).trimmingCharacters(in: .whitespacesAndNewlines)
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
