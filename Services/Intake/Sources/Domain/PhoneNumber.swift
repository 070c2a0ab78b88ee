/// Indonesian phone numbers as people write them (`0812-3456-7890`, `62 812 3456 7890`,
/// `+62 812...`, `(0526) 209...`) normalised to E.164 (`+6281234567890`).
public enum PhoneNumber {
    /// The E.164 form, or nil when it is not a plausible Indonesian number: after the country
    /// code 62, a national number of 8 to 12 digits that does not start with 0.
    public static func normalized(_ text: String) -> String? {
        var digits = ""
        for (index, character) in text.enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "+" && index == 0 {
                continue
            } else if !" -().".contains(character) {
                return nil
            }
        }
        let national: Substring
        if digits.hasPrefix("62") {
            national = digits.dropFirst(2)
        } else if digits.hasPrefix("0") {
            national = digits.dropFirst()
        } else {
            return nil
        }
        guard (8...12).contains(national.count), national.first != "0" else { return nil }
        return "+62" + national
    }
}
