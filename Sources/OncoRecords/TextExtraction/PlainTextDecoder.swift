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
