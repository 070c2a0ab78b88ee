import LayarDomain
import LayarSchema

/// The automatic checks on a submitted referral and what follows from them.
///
/// Identity (NIK structure, agreement with birth date and sex), domicile (Balangan codes) and
/// another open case for the same person need a verifier when they fail. Missing documents are
/// asked of the applicant. A person not in the social registry is not turned away: the referral
/// goes on, flagged, with a proposal for registration. Clean cases are verified automatically.
///
/// A person without a NIK or papers is not turned away either: their identity check is replaced by
/// a proposal for identification (Dukcapil records them) and registration, and no identity papers
/// are asked for; an earlier referral that may be the same person (intake's fuzzy match) puts the
/// referral before a verifier, who decides whether it is the same person.
public enum ReferralChecks {
    /// What verification knows of the referral.
    public struct Subject: Sendable, Equatable {
        public var nik: String
        public var birthDate: Layar_V1_Date
        public var sex: Layar_V1_Sex
        public var urgency: Layar_V1_Urgency
        public var isChild: Bool
        public var ppksKind: String
        public var needs: [Layar_V1_Need]
        public var kecamatanCode: String
        public var desaCode: String
        public var documentKinds: Set<Layar_V1_DocumentKind>
        /// No NIK or papers: identification and registration are proposed.
        public var identityUnknown: Bool
        /// Earlier referrals that may be the same person (people without papers only).
        public var possibleDuplicates: [Layar_V1_PossibleDuplicate]

        public init(_ submitted: Layar_V1_ReferralSubmitted) {
            nik = submitted.nik
            birthDate = submitted.birthDate
            sex = submitted.sex
            urgency = submitted.urgency
            isChild = submitted.isChild
            ppksKind = submitted.ppksKind
            needs = submitted.needs
            kecamatanCode = submitted.kecamatanCode
            desaCode = submitted.desaCode
            documentKinds = Set(submitted.documents.map(\.kind))
            identityUnknown = submitted.identityUnknown
            possibleDuplicates = submitted.possibleDuplicates
        }
    }

    /// One line of the document checklist: when it applies (nil matches anything) and the
    /// documents that satisfy it (any one of them).
    public struct DocumentRequirement: Sendable, Equatable {
        public var ppksKind: String?
        public var need: Layar_V1_Need?
        public var child: Bool?
        public var anyOf: [Layar_V1_DocumentKind]
        public var description: String

        public init(ppksKind: String? = nil, need: Layar_V1_Need? = nil, child: Bool? = nil, anyOf: [Layar_V1_DocumentKind], description: String) {
            self.ppksKind = ppksKind
            self.need = need
            self.child = child
            self.anyOf = anyOf
            self.description = description
        }

        /// Papers a person without them cannot bring: their identification is proposed instead.
        static let identityPapers: Set<Layar_V1_DocumentKind> = [.ktp, .kk]

        func applies(to subject: Subject) -> Bool {
            if subject.identityUnknown && Self.identityPapers.isSuperset(of: anyOf) { return false }
            return (ppksKind == nil || ppksKind == subject.ppksKind) && (need.map(subject.needs.contains) ?? true)
                && (child == nil || child == subject.isChild)
        }
    }

    /// What the checks looked at beyond the referral itself.
    public struct Context: Sendable {
        /// nil: the person is not in the current snapshot.
        public var registry: RegistryMatch?
        /// False when no registry snapshot was ever imported (nothing to check against).
        public var registryLoaded: Bool
        public var openCaseElsewhere: Bool
        public var requirements: [DocumentRequirement]

        public init(registry: RegistryMatch?, registryLoaded: Bool, openCaseElsewhere: Bool, requirements: [DocumentRequirement]) {
            self.registry = registry
            self.registryLoaded = registryLoaded
            self.openCaseElsewhere = openCaseElsewhere
            self.requirements = requirements
        }
    }

    public enum Outcome: Sendable, Equatable {
        case verified
        case informationRequested(missing: [Layar_V1_DocumentKind], message: String)
        case queued
    }

    public struct Result: Sendable, Equatable {
        public var outcome: Outcome
        public var checks: [Layar_V1_CheckResult]
        public var priority: Int32
        /// Not in the registry: raise a proposal for registration (usulan DTSEN).
        public var registryProposal: Bool
        public var decile: Int?
        public var failedChecks: [Layar_V1_CheckName] { checks.filter { !$0.passed }.map(\.checkName) }
    }

    /// Checks that stop a referral until a verifier looks at it.
    static let blocking: Set<Layar_V1_CheckName> = [.identity, .domicile, .openCase, .possibleDuplicate]

    public static func evaluate(_ subject: Subject, _ context: Context) -> Result {
        var checks = subject.identityUnknown
            ? [identification(), domicile(subject), unregistered(), possibleDuplicate(subject)]
            : [identity(subject), domicile(subject), registry(context), openCase(context)]
        let unmet = context.requirements.filter { $0.applies(to: subject) && subject.documentKinds.isDisjoint(with: $0.anyOf) }
        checks.append(check(
            .documents, passed: unmet.isEmpty,
            unmet.isEmpty ? "Dokumen yang diperlukan lengkap." : "Belum ada: " + unmet.map(\.description).joined(separator: "; ") + ".",
            ["received": subject.documentKinds.map(\.displayName).sorted().joined(separator: ", ")]
        ))
        let outcome: Outcome
        if checks.contains(where: { !$0.passed && blocking.contains($0.checkName) }) {
            outcome = .queued
        } else if !unmet.isEmpty {
            var missing: [Layar_V1_DocumentKind] = []
            for kind in unmet.flatMap(\.anyOf) where !missing.contains(kind) { missing.append(kind) }
            outcome = .informationRequested(
                missing: missing, message: "Mohon unggah " + unmet.map(\.description).joined(separator: " dan ") + "."
            )
        } else {
            outcome = .verified
        }
        return Result(
            outcome: outcome, checks: checks, priority: priority(subject, context.registry),
            registryProposal: subject.identityUnknown || (context.registryLoaded && context.registry == nil),
            decile: context.registry?.decile
        )
    }

    static func identity(_ subject: Subject) -> Layar_V1_CheckResult {
        do {
            let nik = try NIK(subject.nik)
            let birth = subject.birthDate
            let problems = nik.mismatches(
                birthYear: Int(birth.year), birthMonth: Int(birth.month), birthDay: Int(birth.day), isFemale: subject.sex == .female
            )
            return check(
                .identity, passed: problems.isEmpty,
                problems.isEmpty ? "NIK sah dan sesuai dengan tanggal lahir dan jenis kelamin." : problems.map(\.message).joined(separator: "; "),
                ["nik_province": nik.provinceCode, "codes": problems.map(\.code).joined(separator: ",")]
            )
        } catch let problem as NIK.Problem {
            return check(.identity, passed: false, problem.message, ["codes": problem.code])
        } catch {
            return check(.identity, passed: false, "NIK tidak dapat diperiksa", [:])
        }
    }

    /// The address must be a Balangan desa. A NIK issued elsewhere (its first four digits are
    /// not 6311) means the KTP still gives another address: someone who moved in is served, but a
    /// verifier confirms the domicile unless a village statement (surat keterangan domisili) came
    /// with the referral.
    static func domicile(_ subject: Subject) -> Layar_V1_CheckResult {
        let evidence = ["kecamatan": BalanganRegions.kecamatan[subject.kecamatanCode] ?? subject.kecamatanCode,
                        "desa": BalanganRegions.desa[subject.desaCode] ?? subject.desaCode,
                        "nik_region": String(subject.nik.prefix(4))]
        let known = BalanganRegions.kecamatan[subject.kecamatanCode] != nil
            && BalanganRegions.desa(subject.desaCode, isIn: subject.kecamatanCode)
        guard known else { return check(.domicile, passed: false, "Alamat bukan desa/kelurahan di Kabupaten Balangan.", evidence) }
        if subject.identityUnknown {
            return check(.domicile, passed: true, "Ditemukan atau berada di Kabupaten Balangan.", evidence)
        }
        if !subject.nik.hasPrefix(balanganRegion) && !subject.documentKinds.contains(.villageStatement) {
            return check(
                .domicile, passed: false,
                "NIK diterbitkan di luar Kabupaten Balangan dan belum ada surat keterangan domisili: pastikan orangnya tinggal di alamat ini.",
                evidence
            )
        }
        return check(.domicile, passed: true, "Berdomisili di Kabupaten Balangan.", evidence)
    }

    /// Kemendagri code of Kabupaten Balangan, the first four digits of a NIK issued there.
    static let balanganRegion = "6311"

    static func registry(_ context: Context) -> Layar_V1_CheckResult {
        guard context.registryLoaded else {
            return check(.registry, passed: false, "Belum ada data DTSEN yang diimpor.", [:])
        }
        guard let match = context.registry else {
            return check(.registry, passed: false, "Tidak terdaftar di DTSEN: diusulkan untuk didaftarkan melalui operator desa.", [:])
        }
        return check(
            .registry, passed: true, "Terdaftar di DTSEN" + (match.decile.map { ", desil \($0)" } ?? "") + ".",
            [
                "registry_id": match.registryID, "decile": match.decile.map(String.init) ?? "", "pkh": match.pkh ? "ya" : "tidak",
                "bpnt": match.bpnt ? "ya" : "tidak", "pbi_jk": match.pbiJK ? "ya" : "tidak",
                "family_members": String(match.familyMembers),
            ]
        )
    }

    /// No NIK to check: the person is proposed to Dukcapil for identification and recording, then
    /// for registration. It never stops the referral.
    static func identification() -> Layar_V1_CheckResult {
        check(
            .identification, passed: false,
            "Tanpa NIK atau dokumen kependudukan: diusulkan identifikasi dan perekaman ke Dukcapil, lalu pendaftaran DTSEN.",
            ["proposal": "identifikasi Dukcapil"]
        )
    }

    /// Without a NIK the registry cannot be searched: registration follows the identification.
    static func unregistered() -> Layar_V1_CheckResult {
        check(.registry, passed: false, "Tanpa NIK tidak dapat dicocokkan dengan DTSEN: diusulkan didaftarkan setelah identifikasi.", [:])
    }

    /// Intake's fuzzy match: earlier referrals that may be the same person, for a verifier.
    static func possibleDuplicate(_ subject: Subject) -> Layar_V1_CheckResult {
        let matches = subject.possibleDuplicates
        guard !matches.isEmpty else {
            return check(.possibleDuplicate, passed: true, "Tidak ada rujukan lain yang mirip.", [:])
        }
        let described = matches.map { match in
            "\(match.trackingCode) (skor \(match.score): " + match.signals.map(\.displayName).joined(separator: ", ") + ")"
        }
        return check(
            .possibleDuplicate, passed: false,
            "Mungkin orang yang sama dengan " + described.joined(separator: "; ")
                + ". Periksa dan putuskan: bila sama, usulkan penolakan sebagai duplikat; bila berbeda, verifikasi.",
            ["tracking_codes": matches.map(\.trackingCode).joined(separator: ","), "scores": matches.map { String($0.score) }.joined(separator: ",")]
        )
    }

    static func openCase(_ context: Context) -> Layar_V1_CheckResult {
        check(
            .openCase, passed: !context.openCaseElsewhere,
            context.openCaseElsewhere ? "Orang ini masih punya rujukan lain yang terbuka." : "Tidak ada rujukan lain yang terbuka.",
            [:]
        )
    }

    /// Higher first (0..100): emergencies (pasung, a child facing violence), children, the lowest
    /// welfare deciles, people outside the registry (their poverty is unknown).
    public static func priority(_ subject: Subject, _ registry: RegistryMatch?) -> Int32 {
        var score = 10
        switch subject.urgency {
        case .emergency: score += 50
        case .urgent: score += 25
        default: break
        }
        if subject.isChild { score += 15 }
        if let decile = registry?.decile {
            score += max(0, 6 - decile) * 4
        } else {
            score += 10
        }
        return Int32(min(score, 100))
    }

    static func check(_ name: Layar_V1_CheckName, passed: Bool, _ summary: String, _ evidence: [String: String]) -> Layar_V1_CheckResult {
        .with {
            $0.name = name
            $0.check = name.code  // for readers of the text field, until it is retired
            $0.passed = passed
            $0.summary = summary
            $0.evidence = evidence.filter { !$0.value.isEmpty }
        }
    }
}
