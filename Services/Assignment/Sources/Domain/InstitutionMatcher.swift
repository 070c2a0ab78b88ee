import LayarSchema

/// Suggests institutions for a case: those that serve its PPKS kind (and the service, when the
/// assessment named one) in the person's kecamatan, are active, and have not reported being full.
/// Institutions with reported free places come first (most places first), then those that never
/// reported, then by name.
enum InstitutionMatcher {
    struct Need: Sendable {
        var ppksKind: String
        var service: Layar_V1_Need
        var kecamatanCode: String
        /// Institutions that already declined the case or let its offer expire.
        var excluded: Set<String> = []
    }

    static func suggest(for need: Need, among institutions: [Layar_V1_Institution]) -> [Layar_V1_Institution] {
        institutions.filter { institution in
            institution.active
                && !need.excluded.contains(institution.code)
                && institution.ppksKinds.contains(need.ppksKind)
                && (need.service == .unspecified || institution.services.contains(need.service))
                && (institution.serviceArea.isEmpty || institution.serviceArea.contains(need.kecamatanCode))
                && !(institution.hasCapacityUpdatedAt && institution.capacityAvailable == 0)
        }
        .sorted { lhs, rhs in
            let left = (lhs.hasCapacityUpdatedAt ? 0 : 1, -lhs.capacityAvailable, lhs.name)
            let right = (rhs.hasCapacityUpdatedAt ? 0 : 1, -rhs.capacityAvailable, rhs.name)
            return left < right
        }
    }
}
