import Foundation
import LayarDomain
import Testing

@Suite("NIK rules")
struct NIKTests {
    @Test("a woman's NIK carries the day of birth plus 40")
    func female() throws {
        let nik = try NIK("6311065203580001")
        #expect(nik.isFemale)
        #expect(nik.birthDay == 12 && nik.birthMonth == 3 && nik.birthYearTwoDigits == 58)
        #expect(nik.mismatches(birthYear: 1958, birthMonth: 3, birthDay: 12, isFemale: true).isEmpty)
    }

    @Test("a NIK from outside Balangan is accepted (people move in)")
    func otherRegency() throws {
        let nik = try NIK("3173011505900002")
        #expect(!nik.isFemale)
        #expect(nik.provinceCode == "31")
    }

    @Test(
        "structural problems are named",
        arguments: [
            ("631106520358000", "NIK_FORMAT"),
            ("63110652035800a1", "NIK_FORMAT"),
            ("9911065203580001", "NIK_PROVINCE"),
            ("6311063203580001", "NIK_BIRTH_DATE"),  // day 32
            ("6311067202580001", "NIK_BIRTH_DATE"),  // women: 72 - 40 = 32
            ("6311063002580001", "NIK_BIRTH_DATE"),  // 30 February
            ("6311061513580001", "NIK_BIRTH_DATE"),  // month 13
            ("6311065203580000", "NIK_SERIAL"),
        ]
    )
    func problems(nik: String, code: String) {
        #expect(throws: NIK.Problem.self) { try NIK(nik) }
        do {
            _ = try NIK(nik)
        } catch let problem as NIK.Problem {
            #expect(problem.code == code)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("29 February is valid in a leap year")
    func leapDay() throws {
        #expect(try NIK("6311062902000001").birthDay == 29)
    }

    @Test("birth date and sex must agree with the NIK")
    func mismatches() throws {
        let nik = try NIK("6311065203580001")
        let codes = nik.mismatches(birthYear: 1959, birthMonth: 3, birthDay: 12, isFemale: false).map(\.code)
        #expect(codes == ["NIK_BIRTH_DATE_MISMATCH", "NIK_SEX_MISMATCH"])
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    @Test("the date in Balangan is UTC+8")
    func balanganDay() {
        // 2026-11-29 16:30 UTC is already 30 November in WITA.
        let instant = Date(timeIntervalSince1970: 1_795_969_800)
        #expect(CivilDate.inBalangan(at: instant) == CivilDate(year: 2026, month: 11, day: 30))
        #expect(CivilDate.inBalangan(at: instant.addingTimeInterval(-3600)) == CivilDate(year: 2026, month: 11, day: 29))
    }

    @Test("age counts whole years, birthdays included")
    func age() {
        let birth = CivilDate(year: 2008, month: 11, day: 30)
        #expect(birth.age(on: CivilDate(year: 2026, month: 11, day: 29)) == 17)
        #expect(birth.age(on: CivilDate(year: 2026, month: 11, day: 30)) == 18)
        #expect(!CivilDate(year: 2023, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid)
    }
}
