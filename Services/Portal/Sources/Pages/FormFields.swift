/// What a form shows: the values sent (kept when the page comes back with problems) and the
/// problem of each input, keyed by the input's name.
struct FormState: Sendable {
    var values = FormData()
    var errors: [String: String] = [:]

    subscript(name: String) -> String { values[name] }
}

/// Labelled, keyboard-reachable inputs. Each problem is printed next to its input, tied to it
/// with `aria-describedby` and `aria-invalid`, so a screen reader reads it with the field.
enum Field {
    static func id(_ name: String) -> String {
        "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    private static func describedBy(_ name: String, hint: String?, state: FormState) -> HTML {
        var ids: [String] = []
        if hint != nil { ids.append(id(name) + "-hint") }
        if state.errors[name] != nil { ids.append(id(name) + "-error") }
        guard !ids.isEmpty else { return .empty }
        let invalid: HTML = state.errors[name] == nil ? .empty : " aria-invalid=\"true\""
        return " aria-describedby=\"\(ids.joined(separator: " "))\"\(invalid)"
    }

    private static func hintAndError(_ name: String, hint: String?, state: FormState) -> HTML {
        let hintHTML: HTML = hint.map { "<p class=\"hint\" id=\"\(id(name))-hint\">\($0)</p>" } ?? .empty
        let errorHTML: HTML = state.errors[name].map { "<p class=\"field-error\" id=\"\(id(name))-error\">\($0)</p>" } ?? .empty
        return "\(hintHTML)\(errorHTML)"
    }

    private static func requiredMark(_ required: Bool) -> HTML {
        required ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : .empty
    }

    static func text(
        _ name: String, _ label: String, state: FormState, type: String = "text", hint: String? = nil,
        required: Bool = false, extra: HTML = .empty
    ) -> HTML {
        """
        <div class="field\(state.errors[name] == nil ? "" : " has-error")">
        <label for="\(id(name))">\(label)\(requiredMark(required))</label>
        \(hintAndError(name, hint: hint, state: state))
        <input id="\(id(name))" name="\(name)" type="\(type)" value="\(state[name])"\(required ? " required" : "")\(describedBy(name, hint: hint, state: state))\(extra)>
        </div>
        """
    }

    static func textarea(
        _ name: String, _ label: String, state: FormState, hint: String? = nil, required: Bool = false, maxLength: Int = 2000
    ) -> HTML {
        """
        <div class="field\(state.errors[name] == nil ? "" : " has-error")">
        <label for="\(id(name))">\(label)\(requiredMark(required))</label>
        \(hintAndError(name, hint: hint, state: state))
        <textarea id="\(id(name))" name="\(name)" rows="4" maxlength="\(maxLength)"\(required ? " required" : "")\(describedBy(name, hint: hint, state: state))>\(state[name])</textarea>
        </div>
        """
    }

    /// A select; `groups` lets a long list (desa by kecamatan) be grouped with `<optgroup>`.
    static func select(
        _ name: String, _ label: String, state: FormState, options: [(value: String, label: String)],
        groups: [(label: String, options: [(value: String, label: String)])] = [], hint: String? = nil,
        required: Bool = false, placeholder: String = "— pilih —"
    ) -> HTML {
        let chosen = state[name]
        func option(_ value: String, _ text: String) -> HTML {
            "<option value=\"\(value)\"\(value == chosen ? " selected" : "")>\(text)</option>"
        }
        let plain = options.map { option($0.value, $0.label) }
        let grouped = groups.map { group -> HTML in
            "<optgroup label=\"\(group.label)\">\(group.options.map { option($0.value, $0.label) })</optgroup>"
        }
        return """
        <div class="field\(state.errors[name] == nil ? "" : " has-error")">
        <label for="\(id(name))">\(label)\(requiredMark(required))</label>
        \(hintAndError(name, hint: hint, state: state))
        <select id="\(id(name))" name="\(name)"\(required ? " required" : "")\(describedBy(name, hint: hint, state: state))>
        <option value="">\(placeholder)</option>\(plain)\(grouped)
        </select>
        </div>
        """
    }

    /// A group of checkboxes (several values) or radio buttons (one value) under a legend.
    static func choices(
        _ name: String, _ legend: String, state: FormState, options: [(value: String, label: String)],
        multiple: Bool, hint: String? = nil, required: Bool = false
    ) -> HTML {
        let chosen = Set(state.values.all(name))
        let inputs = options.enumerated().map { index, option -> HTML in
            let inputID = "\(id(name))-\(index)"
            return """
            <label class="choice" for="\(inputID)"><input id="\(inputID)" type="\(multiple ? "checkbox" : "radio")" name="\(name)" value="\(option.value)"\(chosen.contains(option.value) ? " checked" : "")> \(option.label)</label>
            """
        }
        return """
        <fieldset class="field\(state.errors[name] == nil ? "" : " has-error")" id="\(id(name))"\(describedBy(name, hint: hint, state: state))>
        <legend>\(legend)\(requiredMark(required))</legend>
        \(hintAndError(name, hint: hint, state: state))
        \(inputs)
        </fieldset>
        """
    }

    static func file(_ name: String, _ label: String, state: FormState, hint: String?, accept: String = DocumentLimits.accept) -> HTML {
        """
        <div class="field\(state.errors[name] == nil ? "" : " has-error")">
        <label for="\(id(name))">\(label)</label>
        \(hintAndError(name, hint: hint, state: state))
        <input id="\(id(name))" name="\(name)" type="file" accept="\(accept)" data-max-bytes="\(DocumentLimits.maximumBytes)"\(describedBy(name, hint: hint, state: state))>
        </div>
        """
    }

    static func hidden(_ name: String, _ value: String) -> HTML {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
    }

    static func csrf(_ staff: StaffSession) -> HTML { hidden("csrf", staff.csrfToken) }
}

/// Intake's document limits, repeated here for the hints (intake enforces them).
enum DocumentLimits {
    static let maximumBytes = 2 * 1024 * 1024
    static let accept = "image/jpeg,image/png,image/webp,application/pdf"
    static let hint = "Foto (JPG, PNG, WebP) atau PDF, paling besar 2 MB per berkas, 10 MB seluruhnya."
}
