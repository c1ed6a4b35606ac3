import Foundation

/// Interned index terms: every distinct token is stored once in a byte arena and known by
/// an `Int32` id. Lookup hashes the token's bytes directly (no `String` per token), which
/// is what keeps tokenising half a million studies fast.
struct TermTable: Sendable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [UInt32] = [0]
    private(set) var slots: [Int32]
    private(set) var mask: Int

    init(capacity: Int = 1 << 16) {
        var size = 1
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// A table as a snapshot stored it (the hash slots included, so nothing is re-hashed).
    init(arena: [UInt8], offsets: [UInt32], slots: [Int32]) throws {
        guard !offsets.isEmpty, offsets.last.map({ Int($0) == arena.count }) ?? false, slots.count.nonzeroBitCount == 1,
              slots.count >= (offsets.count - 1) * 2 else { throw SnapshotRejected("the term table is inconsistent") }
        self.arena = arena
        self.offsets = offsets
        self.slots = slots
        mask = slots.count - 1
    }

    var count: Int { offsets.count - 1 }

    func term(_ id: Int32) -> String {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return String(decoding: arena[start..<end], as: UTF8.self)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func equals(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var i = 0
            while i < bytes.count { if a[start + i] != bytes[i] { return false }; i += 1 }
            return true
        }
    }

    /// The id of a token, or nil when it was never interned.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(bytes) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if equals(id, bytes) { return id }
            slot = (slot + 1) & mask
        }
    }

    func lookup(_ term: String) -> Int32? {
        var copy = term
        return copy.withUTF8 { lookup($0) }
    }

    /// The id of a token, interning it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var slot = Self.hash(bytes) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if equals(id, bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        slots[slot] = id
        if count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = Array(repeating: Int32(-1), count: size)
        let newMask = size - 1
        arena.withUnsafeBufferPointer { a in
            for id in 0..<count {
                let start = Int(offsets[id]), end = Int(offsets[id + 1])
                var slot = Self.hash(UnsafeBufferPointer(rebasing: a[start..<end])) & newMask
                while newSlots[slot] >= 0 { slot = (slot + 1) & newMask }
                newSlots[slot] = Int32(id)
            }
        }
        slots = newSlots
        mask = newMask
    }
}

/// Splits text into index tokens: ASCII lower-cased, split on anything that is not a
/// letter or digit, a light plural strip ("lymphomas" → "lymphoma"). Stop words are
/// interned first by the index (ids below `stopWords.count`) and skipped there, so no
/// per-token allocation happens here. The same function serves documents and queries.
enum IndexTokenizer {
    static let stopWords: [String] = [
        "a", "an", "and", "or", "the", "of", "in", "on", "at", "to", "for", "with", "by", "as", "be", "is", "are", "was",
        "were", "been", "from", "that", "this", "these", "those", "which", "who", "will", "must", "may", "have", "has",
        "had", "not", "no", "any", "all", "other", "than", "such", "per", "within", "if", "it", "its", "their", "there",
        "into", "patient", "subject", "study", "e", "g", "i", "s",
    ]

    /// Calls `body` with each token's bytes (valid only during the call).
    @inline(__always)
    static func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
                var length = 0
                func flush() {
                    guard length > 0 else { return }
                    var n = length
                    // Plural strip: "lymphomas" → "lymphoma", but not "ss", "us", "is".
                    if n > 3, buffer[n - 1] == 0x73, buffer[n - 2] != 0x73, buffer[n - 2] != 0x75, buffer[n - 2] != 0x69 { n -= 1 }
                    // Single characters ("t" in "CAR-T", "1" in "phase 1") match nearly every
                    // study: they cost more than they rank.
                    if n > 1 { body(UnsafeBufferPointer(start: buffer.baseAddress, count: n)) }
                    length = 0
                }
                for byte in utf8 {
                    var b = byte
                    if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                    let isWord = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
                    if isWord {
                        if length < 64 { buffer[length] = b; length += 1 }
                    } else {
                        flush()
                    }
                }
                flush()
            }
        }
    }

    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }
}
