import LayarSchema

/// The nine SKM elements of PermenPANRB 14/2017 with the regulation's answer labels (1 worst,
/// 4 best). Element ids are stable; a printed questionnaire may ask them in another order.
public enum SKMQuestionnaire {
    public struct Element: Sendable {
        public var id: Layar_V1_SurveyElement
        public var title: String
        public var question: String
        public var labels: [String]
    }

    public static let elements: [Element] = [
        Element(
            id: .u1Requirements, title: "Persyaratan",
            question: "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
            labels: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
        ),
        Element(
            id: .u2Procedure, title: "Sistem, Mekanisme, dan Prosedur",
            question: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            labels: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"]
        ),
        Element(
            id: .u3Time, title: "Waktu Penyelesaian",
            question: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            labels: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"]
        ),
        Element(
            id: .u4Cost, title: "Biaya/Tarif",
            question: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            labels: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
        ),
        Element(
            id: .u5Product, title: "Produk Spesifikasi Jenis Pelayanan",
            question: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan yang tercantum dengan hasil yang diberikan?",
            labels: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
        ),
        Element(
            id: .u6Competence, title: "Kompetensi Pelaksana",
            question: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            labels: ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"]
        ),
        Element(
            id: .u7Behaviour, title: "Perilaku Pelaksana",
            question: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
            labels: ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"]
        ),
        Element(
            id: .u8Complaints, title: "Penanganan Pengaduan, Saran dan Masukan",
            question: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            labels: ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"]
        ),
        Element(
            id: .u9Facilities, title: "Sarana dan Prasarana",
            question: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            labels: ["Buruk", "Cukup", "Baik", "Sangat baik"]
        ),
    ]

    public static func title(of element: Layar_V1_SurveyElement) -> String {
        elements.first { $0.id == element }?.title ?? ""
    }

    /// Problems with a set of answers: exactly one per element, scores 1...4.
    public static func problems(in answers: [Layar_V1_ElementAnswer], field: String) -> [(String, String)] {
        var problems: [(String, String)] = []
        for (index, answer) in answers.enumerated() where !(1...4).contains(answer.score) {
            problems.append(("\(field)[\(index)].score", "Nilai harus 1 sampai 4"))
        }
        let given = answers.map(\.element)
        let expected = elements.map(\.id)
        if Set(given) != Set(expected) || given.count != expected.count {
            problems.append((field, "Jawab tepat satu kali untuk setiap unsur U1 sampai U9"))
        }
        return problems
    }
}
