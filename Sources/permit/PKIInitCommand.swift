import ArgumentParser
import CardSecurity
import Foundation

/// `permit pki init --out DIR`: a test authority for demos and tests.
struct PKIInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a test authority: root CA, document signer, station certificates and master keys.",
        discussion: """
            Writes <name>.pem and <name>.key (mode 0600) for root-ca, document-signer, issuing-station, \
            endorsing-station and kiosk, master-keys.json (mode 0600) and trust-bundle.pem. \
            Prints certificates and fingerprints only, never a key. For demos and tests: a real authority \
            keeps its root and master keys offline.
            """)

    @Option(help: "Directory to create the authority in (created with mode 0700 if missing).")
    var out: String
    @Option(help: "First day the certificates are valid, YYYY-MM-DD (UTC midnight). Default: today.")
    var validFrom: String?
    @Option(help: "Years the certificates stay valid.")
    var years: Int = 10
    @Option(help: "Name of the authority, used in every certificate's subject.")
    var name: String = "PermitStation Test Authority"
    @Flag(help: "Replace an authority already in --out (its keys are lost).")
    var force = false

    func validate() throws {
        guard (1...50).contains(years) else { throw ValidationError("--years: \(years) is outside 1...50.") }
        if let validFrom, Self.day(validFrom) == nil {
            throw ValidationError("--valid-from: \"\(validFrom)\" is not a calendar date; write it as YYYY-MM-DD (for example 2026-01-01).")
        }
    }

    func run() throws {
        // The command's one clock reading: the default first day of validity.
        let start = validFrom.flatMap(Self.day) ?? Self.utcCalendar.startOfDay(for: Date())
        let end = Self.utcCalendar.date(byAdding: .year, value: years, to: start)!
        let authority = try TestAuthority.generate(name: name, notBefore: start, notAfter: end)
        let directory = PKIDirectory(url: URL(fileURLWithPath: out, isDirectory: true))
        try directory.write(authority, replacing: force)

        print("Test authority \"\(name)\" written to \(directory.url.path)")
        print("valid \(start.formatted(.iso8601)) to \(end.formatted(.iso8601))")
        for (file, credential) in authority.credentials {
            let roles = credential.certificate.roles.map(\.description).sorted().joined(separator: ", ")
            print("  \(file).pem  \(credential.certificate.subject)\(roles.isEmpty ? "" : "  [\(roles)]")")
            print("      SHA-256 \(PKIVerifyCommand.fingerprint(credential.certificate))")
            print("  \(file).key  private key (mode 0600)")
        }
        print("  \(PKIDirectory.masterKeysFile)  master keys for \(KeyRole.allCases.map(\.rawValue).joined(separator: ", ")) (mode 0600)")
        print("  \(PKIDirectory.trustBundleFile)  certificates a field verifier carries (root first)")
    }

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        let components = DateComponents(calendar: utcCalendar, timeZone: utcCalendar.timeZone,
                                         year: parts[0], month: parts[1], day: parts[2])
        return components.isValidDate ? components.date : nil
    }
}
