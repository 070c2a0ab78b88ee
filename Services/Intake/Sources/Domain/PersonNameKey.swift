import Foundation

/// A name as the applicant wrote it, reduced to what two reporters of the same person would both
/// write: Indonesian names reach the office in the old and the new spelling (Djoko / Joko,
/// Soeparman / Suparman, Tjahjo / Cahyo, Chairul / Khairul / Hairul), with or without titles and
/// kinship words (Bapak, Mbah, Acil, Haji), and with a doubled or dropped letter (Muhammad /
/// Muhamad, Fatimah / Fatima).
public struct PersonNameKey: Sendable, Equatable {
    /// The normalised tokens, in the order written; empty when no name is known.
    public let tokens: [[UInt8]]

    public init(_ name: String) {
        var words: [String] = []
        var current = ""
        for scalar in name.lowercased().unicodeScalars {
            if let letter = Self.folded(scalar) {
                current.append(letter)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        let kept = words.filter { !Self.titles.contains($0) }
        if kept.allSatisfy(Self.unknownWords.contains) {
            tokens = []
        } else {
            tokens = kept.map { Self.muhammad.contains($0) ? Array("muhamad".utf8) : Self.spellingKey($0) }
        }
    }

    /// How alike two names are, 0...1; nil when either is unknown. Each word of the shorter name
    /// is matched to its closest word of the other (Jaro-Winkler; a nickname that ends another
    /// word, "udin" in "syamsudin", counts as close); fewer words on one side weigh a little less.
    public func similarity(to other: PersonNameKey) -> Double? {
        guard !tokens.isEmpty, !other.tokens.isEmpty else { return nil }
        let (short, long) = tokens.count <= other.tokens.count ? (tokens, other.tokens) : (other.tokens, tokens)
        var total = 0.0
        for word in short {
            total += long.map { Self.wordSimilarity(word, $0) }.max() ?? 0
        }
        let coverage = Double(short.count) / Double(long.count)
        return total / Double(short.count) * (0.85 + 0.15 * coverage)
    }

    static func wordSimilarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a == b { return 1 }
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        if shorter.count >= 3, longer.count > shorter.count, Array(longer.suffix(shorter.count)) == shorter { return 0.9 }
        return jaroWinkler(a, b)
    }

    /// Old-spelling digraphs first, then letters that sound alike, then doubled letters, then a
    /// final h after a vowel.
    static func spellingKey(_ word: String) -> [UInt8] {
        var text = word
        for (old, new) in digraphs { text = text.replacingOccurrences(of: old, with: new) }
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            let mapped: [UInt8]
            switch byte {
            case UInt8(ascii: "y"): mapped = [UInt8(ascii: "j")]  // Jusuf / Yusuf
            case UInt8(ascii: "v"): mapped = [UInt8(ascii: "f")]
            case UInt8(ascii: "z"): mapped = [UInt8(ascii: "s")]
            case UInt8(ascii: "q"): mapped = [UInt8(ascii: "k")]
            case UInt8(ascii: "x"): mapped = [UInt8(ascii: "k"), UInt8(ascii: "s")]
            default: mapped = [byte]
            }
            for letter in mapped where bytes.last != letter { bytes.append(letter) }
        }
        if bytes.count > 2, bytes.last == UInt8(ascii: "h"), vowels.contains(bytes[bytes.count - 2]) { bytes.removeLast() }
        return bytes
    }

    static let digraphs: [(String, String)] = [
        ("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "h"), ("kh", "h"), ("ph", "f"),
        ("th", "t"), ("dh", "d"), ("ie", "i"),
    ]
    static let vowels: Set<UInt8> = Set("aiueo".utf8)

    /// Latin letters with their accents dropped; nil for anything else (a separator).
    static func folded(_ scalar: Unicode.Scalar) -> Character? {
        switch scalar.value {
        case 0x61...0x7A: return Character(scalar)
        case 0xE0...0xE5: return "a"
        case 0xE8...0xEB: return "e"
        case 0xEC...0xEF: return "i"
        case 0xF2...0xF6: return "o"
        case 0xF9...0xFC: return "u"
        default: return nil
        }
    }

    /// Words that say who someone is to the reporter, not their name (Indonesian and Banjar).
    static let titles: Set<String> = [
        "bapak", "pak", "bpk", "ibu", "bu", "bunda", "mbah", "nenek", "nek", "kakek", "kek", "kai", "nini", "acil",
        "amang", "paman", "julak", "datu", "tuan", "nyonya", "ny", "tn", "sdr", "saudara", "saudari", "haji", "hajjah",
        "hj", "h", "st", "dr", "drs", "ir", "adik", "dik", "adek", "kak", "kakak", "abang", "bang", "mas", "mbak", "om",
        "tante", "bin", "binti", "alm", "almarhum",
    ]
    /// What reporters write when they do not know the name.
    static let unknownWords: Set<String> = [
        "tidak", "tak", "diketahui", "dikenal", "tdk", "tahu", "tau", "anonim", "tanpa", "nama", "belum", "mr", "x",
        "orang", "gila", "odgj", "laki", "perempuan", "anak",
    ]
    /// The ways Muhammad is written and abbreviated.
    static let muhammad: Set<String> = [
        "m", "mh", "mhd", "moh", "muh", "mohd", "mohamad", "mohammad", "muhamad", "muhammad", "mochamad", "mochammad",
        "muchamad", "muchammad", "mohamed", "muhammed",
    ]

    /// Jaro-Winkler similarity of two words (prefix scale 0.1, at most four letters).
    static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let low = max(0, i - window), high = min(b.count - 1, i + window)
            guard low <= high else { continue }
            for j in low...high where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in a.indices where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}
