import Foundation
import LayarDomain
import LayarSchema
import LayarSurvey
import Testing

@Suite("SKM, IKM and complaint rules")
struct SurveyRulesTests {
    typealias Total = IKMCalculator.ElementTotal
    static let elements = SKMQuestionnaire.elements.map(\.id)

    /// Every element with the same sum over `respondents`.
    static func uniform(sum: Int, respondents: Int) -> [Total] {
        elements.map { Total(element: $0, sum: sum, respondents: respondents) }
    }

    @Test("a hand-computed example: four respondents")
    func handComputed() throws {
        // Scores of four respondents per element, U1..U9.
        let answers: [[Int]] = [
            [3, 4, 3, 3], [3, 3, 3, 4], [2, 3, 3, 3], [4, 4, 4, 4], [3, 3, 3, 3],
            [3, 4, 4, 3], [4, 4, 3, 4], [3, 3, 2, 3], [3, 3, 3, 3],
        ]
        let totals = zip(Self.elements, answers).map { Total(element: $0, sum: $1.reduce(0, +), respondents: 4) }
        let result = try #require(IKMCalculator.compute(totals))
        #expect(result.scores.map(\.nrr) == [3.25, 3.25, 2.75, 4.0, 3.0, 3.5, 3.75, 2.75, 3.0])
        // Σ NRR = 29.25; × 1/9 = 3.25; × 25 = 81.25.
        #expect(abs(result.ikm - 3.25) < 1e-12)
        #expect(result.converted == 81.25)
        #expect(result.grade == "B" && result.gradeLabel == "Baik")
        #expect(result.weakest == [.u3Time, .u8Complaints])
        let first = try #require(result.scores.first)
        #expect(abs(first.weighted - 3.25 / 9) < 1e-12)
    }

    @Test(
        "grade boundaries on the converted value",
        arguments: [
            // per-element sum, respondents -> converted, grade
            (3532, 1000, 88.30, "B"), (8831, 2500, 88.31, "A"),
            (3064, 1000, 76.60, "C"), (7661, 2500, 76.61, "B"),
            (6499, 2500, 64.99, "D"), (26, 10, 65.00, "C"),
            (40, 10, 100.00, "A"), (10, 10, 25.00, "D"),
        ]
    )
    func boundaries(sum: Int, respondents: Int, converted: Double, grade: String) throws {
        let result = try #require(IKMCalculator.compute(Self.uniform(sum: sum, respondents: respondents)))
        #expect(result.converted == converted)
        #expect(result.grade == grade)
    }

    @Test("no respondents, no index")
    func empty() {
        #expect(IKMCalculator.compute(Self.uniform(sum: 0, respondents: 0)) == nil)
    }

    @Test("Krejcie–Morgan minimum samples match the table", arguments: [(100, 80), (200, 132), (1000, 278), (10000, 370), (0, 0), (1, 1)])
    func krejcieMorgan(population: Int, sample: Int) {
        #expect(KrejcieMorgan.minimumSample(population: population) == sample)
    }

    @Test("answers: one per element, 1 to 4")
    func answerRules() {
        let full = Self.elements.map { element in Layar_V1_ElementAnswer.with { $0.element = element; $0.score = 3 } }
        #expect(SKMQuestionnaire.problems(in: full, field: "answers").isEmpty)
        #expect(SKMQuestionnaire.problems(in: Array(full.dropLast()), field: "answers").map(\.0) == ["answers"])
        var badScore = full
        badScore[2].score = 5
        #expect(SKMQuestionnaire.problems(in: badScore, field: "answers").map(\.0) == ["answers[2].score"])
        #expect(SKMQuestionnaire.problems(in: full + [full[0]], field: "answers").map(\.0) == ["answers"])
        #expect(SKMQuestionnaire.elements.allSatisfy { $0.labels.count == 4 })
        #expect(SKMQuestionnaire.elements[3].labels == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"])
    }

    @Test("complaint lifecycle: allowed and refused actions")
    func workflow() throws {
        #expect(try ComplaintWorkflow.next(after: .assign, from: .received, hasHandler: true) == .assigned)
        #expect(try ComplaintWorkflow.next(after: .respond, from: .assigned, hasHandler: true) == .responded)
        #expect(try ComplaintWorkflow.next(after: .resolve, from: .responded, hasHandler: true) == .resolved)
        #expect(try ComplaintWorkflow.next(after: .close, from: .resolved, hasHandler: true) == .closed)
        #expect(try ComplaintWorkflow.next(after: .reopen, from: .closed, hasHandler: true) == .assigned)
        #expect(try ComplaintWorkflow.next(after: .reopen, from: .resolved, hasHandler: false) == .received)
        #expect(throws: ComplaintWorkflow.NotAllowed.self) { try ComplaintWorkflow.next(after: .close, from: .received, hasHandler: false) }
        #expect(throws: ComplaintWorkflow.NotAllowed.self) { try ComplaintWorkflow.next(after: .resolve, from: .closed, hasHandler: true) }
        #expect(throws: ComplaintWorkflow.NotAllowed.self) { try ComplaintWorkflow.next(after: .reopen, from: .assigned, hasHandler: true) }
        #expect(throws: ComplaintWorkflow.NotAllowed.self) { try ComplaintWorkflow.next(after: .forwardToLapor, from: .closed, hasHandler: true) }
    }

    /// 2026-12-04 10:00 WITA, a Friday.
    static let fridayMorning = Date(timeIntervalSince1970: 1_796_349_600)

    @Test("working-day deadlines skip weekends and holidays, and end at midnight WITA")
    func workingDays() throws {
        #expect(CivilDate.inBalangan(at: Self.fridayMorning) == CivilDate(year: 2026, month: 12, day: 4))
        #expect(CivilDate(year: 2026, month: 12, day: 4).weekday == 5)
        let plain = WorkingCalendar()
        // Mon 7, Tue 8, Wed 9: due at the start of Thursday 10 December, WITA.
        #expect(plain.deadline(workingDays: 3, after: Self.fridayMorning) == CivilDate(year: 2026, month: 12, day: 10).startInBalangan)
        #expect(plain.deadline(workingDays: 5, after: Self.fridayMorning) == CivilDate(year: 2026, month: 12, day: 12).startInBalangan)
        let withHoliday = try #require(WorkingCalendar(holidayList: "2026-12-08, 2026-12-25"))
        #expect(withHoliday.deadline(workingDays: 3, after: Self.fridayMorning) == CivilDate(year: 2026, month: 12, day: 11).startInBalangan)
        #expect(WorkingCalendar(holidayList: "2026-02-30") == nil)
        #expect(CivilDate(year: 2026, month: 12, day: 10).startInBalangan == Date(timeIntervalSince1970: 1_796_832_000))
    }

    @Test("percentiles interpolate like percentile_cont")
    func percentiles() throws {
        #expect(Percentile.of([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Percentile.of([10], 0.9) == 10)
        #expect(Percentile.of([], 0.5) == nil)
        let p90 = try #require(Percentile.of([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9))
        #expect(abs(p90 - 90) < 1e-9)
    }
}
