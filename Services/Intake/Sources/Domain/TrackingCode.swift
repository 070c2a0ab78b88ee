import LayarDomain

/// The code an applicant follows a referral with, e.g. `LYR-7K3M-Q9TX`: 30^8 ≈ 6.6·10^11 codes,
/// so guessing one is impractical (and throttled); a collision is drawn again by the store.
public enum TrackingCode {
    public static func generate() -> String { RandomCode.generate(prefix: "LYR") }
    public static func isWellFormed(_ code: String) -> Bool { RandomCode.isWellFormed(code, prefix: "LYR") }
}
