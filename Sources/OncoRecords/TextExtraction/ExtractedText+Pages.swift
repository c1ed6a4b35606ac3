import Foundation

extension ExtractedText {
    /// The 1-based page holding the UTF-16 offset `offset` of `text` (pages are joined by a
    /// form feed), so a fact's span can be cited as "page 2".
    public func pageNumber(atUTF16Offset offset: Int) -> Int {
        var end = 0
        for (index, page) in pages.enumerated() {
            end += page.text.utf16.count
            if offset <= end { return page.number }
            end += 1  // the form feed
            if index == pages.count - 1 { return page.number }
        }
        return 1
    }
}
