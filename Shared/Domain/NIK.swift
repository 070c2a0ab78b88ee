/// A structurally checked NIK (Nomor Induk Kependudukan).
///
/// 16 digits: province (2), regency (2) and kecamatan (2) of first registration, birth date as
/// DDMMYY with 40 added to the day for women, and a serial (4, never 0000). There is no check
/// digit. A Balangan prefix (6311) is **not** required: people who moved in keep their NIK.
public struct NIK: Sendable, Hashable {
    public let digits: String
    public let provinceCode: String
    public let birthDay: Int
    public let birthMonth: Int
    /// Two-digit year as encoded; the century comes from the stated birth date.
    public let birthYearTwoDigits: Int
    public let isFemale: Bool

    /// Province codes of Indonesia (Kemendagri), including the Papua provinces formed in 2022.
    public static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36", "51", "52", "53",
        "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
        "81", "82", "91", "92", "93", "94", "95", "96",
    ]

    /// Why a NIK fails its structural checks; `code` is stable, `message` is for people.
    public struct Problem: Error, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    /// Parses `text`; throws the first structural problem found.
    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw Problem(code: "NIK_FORMAT", message: "NIK harus terdiri dari 16 angka")
        }
        let value = { (range: Range<Int>) in bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
        let province = String(text.prefix(2))
        guard Self.provinceCodes.contains(province) else {
            throw Problem(code: "NIK_PROVINCE", message: "Kode provinsi pada NIK (\(province)) tidak dikenal")
        }
        var day = value(6..<8)
        let female = day > 40
        if female { day -= 40 }
        let month = value(8..<10)
        let year = value(10..<12)
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, twoDigitYear: year) else {
            throw Problem(code: "NIK_BIRTH_DATE", message: "Tanggal lahir pada NIK tidak valid")
        }
        guard value(12..<16) != 0 else {
            throw Problem(code: "NIK_SERIAL", message: "Nomor urut pada NIK tidak boleh 0000")
        }
        digits = text
        provinceCode = province
        birthDay = day
        birthMonth = month
        birthYearTwoDigits = year
        isFemale = female
    }

    /// Problems when the NIK disagrees with the stated birth date and sex.
    public func mismatches(birthYear: Int, birthMonth: Int, birthDay: Int, isFemale: Bool) -> [Problem] {
        var problems: [Problem] = []
        if birthDay != self.birthDay || birthMonth != self.birthMonth || birthYear % 100 != birthYearTwoDigits {
            problems.append(Problem(code: "NIK_BIRTH_DATE_MISMATCH", message: "Tanggal lahir tidak sesuai dengan NIK"))
        }
        if isFemale != self.isFemale {
            problems.append(Problem(code: "NIK_SEX_MISMATCH", message: "Jenis kelamin tidak sesuai dengan NIK"))
        }
        return problems
    }

    /// February has 29 days when the two-digit year may be a leap year (the century is unknown).
    static func daysIn(month: Int, twoDigitYear: Int) -> Int {
        switch month {
        case 2: twoDigitYear % 4 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
