import Foundation
import LayarSchema

/// The Indeks Kepuasan Masyarakat of PermenPANRB 14/2017.
///
/// NRR of an element = sum of its scores / number who answered it; IKM = Σ NRR × 1/9 (exactly a
/// ninth, not 0.111); converted = IKM × 25, graded on the value rounded to two decimals:
/// A Sangat Baik 88.31–100, B Baik 76.61–88.30, C Kurang Baik 65.00–76.60, D Tidak Baik 25.00–64.99.
public enum IKMCalculator {
    /// Totals of one element over the responses of a period.
    public struct ElementTotal: Sendable, Equatable {
        public var element: Layar_V1_SurveyElement
        public var sum: Int
        public var respondents: Int

        public init(element: Layar_V1_SurveyElement, sum: Int, respondents: Int) {
            self.element = element
            self.sum = sum
            self.respondents = respondents
        }
    }

    public struct Result: Sendable, Equatable {
        public var scores: [Layar_V1_ElementScore]
        public var ikm: Double
        /// IKM × 25 rounded to two decimals.
        public var converted: Double
        public var grade: String
        public var gradeLabel: String
        public var weakest: [Layar_V1_SurveyElement]
    }

    /// nil when nobody answered.
    public static func compute(_ totals: [ElementTotal]) -> Result? {
        guard totals.contains(where: { $0.respondents > 0 }) else { return nil }
        let scores = SKMQuestionnaire.elements.map { element in
            let total = totals.first { $0.element == element.id }
            let nrr = total.map { $0.respondents > 0 ? Double($0.sum) / Double($0.respondents) : 0 } ?? 0
            return Layar_V1_ElementScore.with {
                $0.element = element.id
                $0.title = element.title
                $0.respondents = Int32(total?.respondents ?? 0)
                $0.nrr = nrr
                $0.weighted = nrr / 9
            }
        }
        // Sum the NRRs first and divide once: exactly Σ NRR / 9.
        let ikm = scores.reduce(0) { $0 + $1.nrr } / 9
        let converted = roundedToHundredths(ikm * 25)
        let (grade, label) = grade(converted)
        let answered = scores.filter { $0.respondents > 0 }
        let lowest = answered.map(\.nrr).min() ?? 0
        return Result(
            scores: scores, ikm: ikm, converted: converted, grade: grade, gradeLabel: label,
            weakest: answered.filter { abs($0.nrr - lowest) < 1e-9 }.map(\.element)
        )
    }

    /// Grade of a converted value already rounded to two decimals.
    public static func grade(_ converted: Double) -> (String, String) {
        let hundredths = Int((converted * 100).rounded())
        switch hundredths {
        case 8831...: return ("A", "Sangat Baik")
        case 7661...: return ("B", "Baik")
        case 6500...: return ("C", "Kurang Baik")
        default: return ("D", "Tidak Baik")
        }
    }

    /// Half away from zero, robust to binary noise just below a half (e.g. 88.30999999999999).
    static func roundedToHundredths(_ value: Double) -> Double {
        ((value * 100) + 1e-9).rounded(.toNearestOrAwayFromZero) / 100
    }
}

/// Krejcie & Morgan's minimum sample: S = λ²·N·P·Q / (d²·(N−1) + λ²·P·Q) with λ² = 3.841,
/// P = Q = 0.5, d = 0.05, rounded up (a minimum).
public enum KrejcieMorgan {
    public static func minimumSample(population: Int) -> Int {
        guard population > 0 else { return 0 }
        let n = Double(population)
        let chiSquare = 3.841
        let pq = 0.25
        let d2 = 0.0025
        let sample = chiSquare * n * pq / (d2 * (n - 1) + chiSquare * pq)
        return Int((sample - 1e-9).rounded(.up))
    }
}
