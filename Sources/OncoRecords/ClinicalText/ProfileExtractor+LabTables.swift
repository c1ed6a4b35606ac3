import Foundation

/// Result tables read as tables. A cumulative report puts one column per sample date:
///
///     Test                        02/04/2026   14/05/2026   Units        Ref. range
///     Haemoglobin                 118 L        112 L        g/L          130 - 170
///
/// The header's dates give the columns; each row's analyte (at the row start), its values
/// (each under the date column it is aligned with), its flag and its unit belong together,
/// so every value gets the date of its own column. Dotted leaders and wide gaps are cell
/// separators (`TextRepair` turns leaders into spaces). The layout comes from
/// `pdftotext -layout` for PDFs and from tesseract with inter-word spaces kept for scans.
extension ProfileExtractor {
    struct LabColumn {
        var date: ClinicalDate
        /// Character columns (offsets within the line) the date occupies.
        var start: Int
        var end: Int
    }

    /// A number in a cell: "118", "10,4", "3,800", "0.62".
    /// A flag may be glued to the value by OCR ("5.1L", "486H").
    static let cellNumber = Pattern(#"(?<![\w.,/:^-])(?:[<>]\s?)?(\d{1,3}(?:,\d{3})+(?![\d.,])|\d{1,7}(?:[.,]\d{1,4})?)(?=[HL*+-]?(?:[\s)]|$))(?!\s?[/:]\s?\d)"#)
    static let unitCell = Pattern(ProfileExtractor.unitPattern, caseInsensitive: false)

    /// Lab values from tables with date columns, and the ranges they cover (so the sentence
    /// rules do not read the same row again with the wrong date).
    func extractLabTables(_ document: ClinicalDocument) -> (facts: [ProfileFact], covered: [Range<String.Index>]) {
        let text = document.text
        let lines = Self.lineRanges(in: text)
        let decimalComma = Self.usesDecimalComma(text)
        var facts: [ProfileFact] = []
        var covered: [Range<String.Index>] = []
        var index = 0
        while index < lines.count {
            guard var columns = dateColumns(on: lines[index], document: document) else { index += 1; continue }
            // The rows under the header, to the end of the table.
            var row = index + 1
            var blankRun = 0
            var rows: [Range<String.Index>] = []
            while row < lines.count {
                let line = text[lines[row]]
                if line.trimmingCharacters(in: .whitespaces).isEmpty {
                    blankRun += 1
                    if blankRun > 1 { break }
                    row += 1
                    continue
                }
                blankRun = 0
                if dateColumns(on: lines[row], document: document) != nil, row > index + 1 { break }
                // Prose ends the table: a long line without column gaps.
                if !line.contains("  "), line.count > 60 { break }
                rows.append(lines[row])
                row += 1
            }
            columns = Self.realigned(columns, rows: rows, in: text)
            for line in rows {
                if let reading = readRow(line, columns: columns, document: document, decimalComma: decimalComma) {
                    facts += reading.facts
                }
                // A row of a dated table is the table's, read or not: the sentence rules must not
                // give its first number the document's date.
                if Self.analytes.contains(where: { $0.rowPattern.firstMatch(in: text, range: line) != nil }) {
                    covered.append(line)
                }
            }
            index = row
        }
        return (facts, covered)
    }

    /// A header whose dates stand where the rows have their test names cannot have been kept in
    /// place (OCR drops a line's leading spaces): the columns are then placed where the rows put
    /// their values — the i-th date over the i-th value cell, at the median start of that cell in
    /// the rows that fill every column. A header that lines up with its rows is left as it is.
    static func realigned(_ columns: [LabColumn], rows: [Range<String.Index>], in text: String) -> [LabColumn] {
        guard let first = columns.first else { return columns }
        var nameEnds: [Int] = []
        var cellStarts: [[Int]] = []
        for line in rows {
            guard let name = analytes.lazy.compactMap({ $0.rowPattern.firstMatch(in: text, range: line) }).first else { continue }
            nameEnds.append(text.distance(from: line.lowerBound, to: name.range.upperBound))
            let unitStart = unitCell.firstMatch(in: text, range: name.range.upperBound..<line.upperBound)?.range.lowerBound ?? line.upperBound
            let numbers = cellNumber.matches(in: text, range: name.range.upperBound..<unitStart)
            if numbers.count == columns.count {
                cellStarts.append(numbers.map { text.distance(from: line.lowerBound, to: $0.range.lowerBound) })
            }
        }
        guard nameEnds.count >= 3, let shortestName = nameEnds.min(), first.start < shortestName,
              cellStarts.count >= max(2, nameEnds.count / 2) else { return columns }
        return columns.enumerated().map { index, column in
            let starts = cellStarts.map { $0[index] }.sorted()
            var moved = column
            moved.start = starts[starts.count / 2]
            moved.end = moved.start + (column.end - column.start)
            return moved
        }
    }

    static func lineRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
            ranges.append(start..<end)
            start = end < text.endIndex ? text.index(after: end) : text.endIndex
        }
        return ranges
    }

    /// Two or more distinct full dates on a line that is otherwise column labels: a header.
    private func dateColumns(on line: Range<String.Index>, document: ClinicalDocument) -> [LabColumn]? {
        let text = document.text
        let found = document.allDates.filter { line.contains($0.range.lowerBound) && $0.date.day != nil }
        guard found.count >= 2, Set(found.map(\.date)).count == found.count else { return nil }
        // A line of prose or a header block with labels ("Sample Date: …  Report Date: …") is not a column header.
        var rest = String(text[line])
        for date in found.reversed() {
            let lower = text.distance(from: line.lowerBound, to: date.range.lowerBound)
            let upper = text.distance(from: line.lowerBound, to: date.range.upperBound)
            let start = rest.index(rest.startIndex, offsetBy: lower), end = rest.index(rest.startIndex, offsetBy: upper)
            rest.replaceSubrange(start..<end, with: String(repeating: " ", count: upper - lower))
        }
        if rest.contains(":") || rest.split(separator: " ").count > 8 { return nil }
        if rest.range(of: #"\d{1,2}:\d{2}"#, options: .regularExpression) != nil { return nil }
        return found.map { date in
            LabColumn(date: date.date, start: text.distance(from: line.lowerBound, to: date.range.lowerBound),
                      end: text.distance(from: line.lowerBound, to: date.range.upperBound))
        }
    }

    /// One row: the analyte at its start, a value under each date column, the unit.
    private func readRow(_ line: Range<String.Index>, columns: [LabColumn], document: ClinicalDocument,
                         decimalComma: Bool) -> (facts: [ProfileFact], Void)? {
        let text = document.text
        guard let analyte = Self.analytes.first(where: { $0.rowPattern.firstMatch(in: text, range: line) != nil }),
              let name = analyte.rowPattern.firstMatch(in: text, range: line) else { return nil }
        let unit = Self.unitCell.matches(in: text, range: name.range.upperBound..<line.upperBound)
            .map { Self.canonicalUnit(String(text[$0.range])) }
            .first { analyte.units.contains($0.lowercased()) }
        let numbers = Self.cellNumber.matches(in: text, range: name.range.upperBound..<line.upperBound)
        var facts: [ProfileFact] = []
        let spacing = zip(columns, columns.dropFirst()).map { $1.start - $0.start }.min() ?? 12
        for column in columns {
            // The value whose cell starts nearest the column's start, within half the column spacing.
            let candidates = numbers.compactMap { match -> (Int, Pattern.Match)? in
                let offset = text.distance(from: line.lowerBound, to: match.range.lowerBound)
                let distance = abs(offset - column.start)
                return distance <= max(3, spacing / 2) ? (distance, match) : nil
            }
            guard let (_, match) = candidates.min(by: { $0.0 < $1.0 }), let raw = match.group(1, in: text),
                  let value = Self.number(raw, decimalComma: decimalComma), analyte.plausible.contains(value) else { continue }
            let lab = LabResult(name: analyte.name, loinc: analyte.loinc, value: value, unit: unit, date: column.date)
            let span = name.range.lowerBound..<match.range.upperBound
            facts.append(.lab(document.fact(lab, span: span, confidence: unit == nil ? 0.6 : 0.85, assertion: Assertion())))
        }
        return facts.isEmpty ? nil : (facts, ())
    }
}
