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
        let parts = try Self.parts(Array(text.utf8)[...]).get()
        digits = text
        provinceCode = String(text.prefix(2))
        birthDay = parts.birthDay
        birthMonth = parts.birthMonth
        birthYearTwoDigits = parts.birthYearTwoDigits
        isFemale = parts.isFemale
    }

    /// What the digits of a NIK encode, read without allocating (bulk registry imports check a
    /// million of them).
    public struct Parts: Sendable, Equatable {
        public var birthDay: Int
        public var birthMonth: Int
        public var birthYearTwoDigits: Int
        public var isFemale: Bool

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
    }

    /// Checks the structure of a NIK given as bytes; the first problem found, or its parts.
    public static func parts(_ bytes: ArraySlice<UInt8>) -> Result<Parts, Problem> {
        bytes.withUnsafeBufferPointer { parts($0) }
    }

    /// ``parts(_:)-(ArraySlice<UInt8>)`` over bytes in place: the registry import checks a million
    /// NIKs straight from the file's buffer.
    public static func parts(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Parts, Problem> {
        guard bytes.count == 16, bytes.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else {
            return .failure(Problem(code: "NIK_FORMAT", message: "NIK harus terdiri dari 16 angka"))
        }
        func value(_ range: Range<Int>) -> Int {
            var number = 0
            for index in range { number = number * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
            return number
        }
        let province = value(0..<2)
        guard knownProvince[province] else {
            return .failure(Problem(code: "NIK_PROVINCE", message: "Kode provinsi pada NIK (\(province)) tidak dikenal"))
        }
        var day = value(6..<8)
        let female = day > 40
        if female { day -= 40 }
        let month = value(8..<10)
        let year = value(10..<12)
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, twoDigitYear: year) else {
            return .failure(Problem(code: "NIK_BIRTH_DATE", message: "Tanggal lahir pada NIK tidak valid"))
        }
        guard value(12..<16) != 0 else {
            return .failure(Problem(code: "NIK_SERIAL", message: "Nomor urut pada NIK tidak boleh 0000"))
        }
        return .success(Parts(birthDay: day, birthMonth: month, birthYearTwoDigits: year, isFemale: female))
    }

    /// ``provinceCodes`` as a table indexed by the two-digit number.
    static let knownProvince: [Bool] = (0..<100).map { provinceCodes.contains($0 < 10 ? "0\($0)" : "\($0)") }

    /// Problems when the NIK disagrees with the stated birth date and sex.
    public func mismatches(birthYear: Int, birthMonth: Int, birthDay: Int, isFemale: Bool) -> [Problem] {
        Parts(
            birthDay: self.birthDay, birthMonth: self.birthMonth, birthYearTwoDigits: birthYearTwoDigits,
            isFemale: self.isFemale
        ).mismatches(birthYear: birthYear, birthMonth: birthMonth, birthDay: birthDay, isFemale: isFemale)
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
