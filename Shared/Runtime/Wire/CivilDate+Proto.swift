import LayarDomain
import LayarSchema

/// The one conversion between the wire's `layar.v1.Date` and the domain's `CivilDate`.
extension CivilDate {
    public init(_ date: Layar_V1_Date) {
        self.init(year: Int(date.year), month: Int(date.month), day: Int(date.day))
    }
}

extension Layar_V1_Date {
    public init(_ date: CivilDate) {
        self.init()
        year = Int32(date.year)
        month = Int32(date.month)
        day = Int32(date.day)
    }
}
