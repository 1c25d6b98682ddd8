import ArgumentParser
import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import PKCS11

/// `permit pki init --out DIR --token MODULE`: a test authority for demos and tests, its keys in tokens.
struct PKIInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a test authority: root CA, certificates, and a key token for each kind of place.",
        discussion: """
            With --token MODULE (a PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so) it sets up one token per \
            place (authority, issuing, endorsing, kiosk, verifier), each holding only that place's master keys and \
            signing keys: master keys are imported as non-extractable AES keys, signing keys generated inside the \
            token. It writes the certificates, trust-bundle.pem, root-ca.key (mode 0600, the authority's own) and \
            for each place <place>.token.json with its PIN files (mode 0600). With --keys-in-files it writes every \
            key to files instead (mode 0600), for development only. Prints certificates and fingerprints, never a \
            key or PIN. docs/CARD-SECURITY.md §16 describes the custody.
            """)

    @Option(help: "Directory to create the authority in (created with mode 0700 if missing).")
    var out: String
    @Option(help: ArgumentHelp("PKCS#11 module of the tokens to set up (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).", valueName: "MODULE"))
    var token: String?
    @Option(help: "Start of every token label: the kiosk's token is <prefix>-kiosk.")
    var tokenPrefix = "permit"
    @Flag(help: "Write every key to files in --out instead of tokens (development only).")
    var keysInFiles = false
    @Option(help: "Directory of card profiles whose master-key labels the tokens get. Default: $PERMIT_PROFILES, else cardprofiles/ found upwards.")
    var profiles: String?
    @Option(help: dateHelp("First day the certificates are valid (from midnight UTC). Default: today."))
    var validFrom: CalendarDate?
    @Option(help: "Years the certificates stay valid.")
    var years: Int = 10
    @Option(help: "Name of the authority, used in every certificate's subject.")
    var name: String = "PermitStation Test Authority"
    @Flag(help: "Replace an authority already in --out (its keys are lost).")
    var force = false

    func validate() throws {
        guard (token == nil) != !keysInFiles else {
            throw ValidationError("Choose where the keys go: --token MODULE (a PKCS#11 token; SoftHSM2's is /usr/lib/softhsm/libsofthsm2.so) or --keys-in-files (development only).")
        }
        guard (1...50).contains(years) else { throw ValidationError("--years: \(years) is outside 1...50.") }
        guard !tokenPrefix.isEmpty, tokenPrefix.utf8.count <= 20 else {
            throw ValidationError("--token-prefix: \"\(tokenPrefix)\" must have 1 to 20 bytes (token labels have at most 32).")
        }
    }

    func run() throws {
        // The command's one clock reading: the default first day of validity. Certificate days are UTC days.
        let first = validFrom ?? Self.utc.today
        let start = Self.utc.start(of: first)
        let end = Self.utc.start(of: first.adding(months: 12 * years))
        let directory = PKIDirectory(url: URL(fileURLWithPath: out, isDirectory: true))
        let root = try TestAuthority.makeRoot(name: name, notBefore: start, notAfter: end)
        let issued: [AuthorityCredential: PKICertificate]
        if let module = token {
            issued = try setUpTokens(module: module, root: root, directory: directory, validity: (start, end))
        } else {
            let authority = try TestAuthority.generate(name: name, notBefore: start, notAfter: end)
            try directory.prepare(replacing: force)
            try directory.writeKeyFiles(authority)
            try directory.writeCertificates(root: authority.root, issued: authority.issued.mapValues(\.certificate))
            issued = authority.issued.mapValues(\.certificate)
            printCertificates(root: authority.root.certificate, issued: issued, directory: directory, validity: (start, end))
            print("  \(PKIDirectory.masterKeysFile)  master keys for \(KeyRole.allCases.map(\.rawValue).joined(separator: ", ")) (mode 0600)")
            print("  *.key  private keys (mode 0600). Keys in files are for development only: a station keeps them in a token (--token).")
            return
        }
        printCertificates(root: root.certificate, issued: issued, directory: directory, validity: (start, end))
        for place in StationPlace.allCases {
            print("  \(place.rawValue).token.json  token \"\(label(place))\": \(describe(place)); PIN in \(place.rawValue).pin (mode 0600)")
        }
    }

    /// One token per place, each with only its roles' master keys and its credentials.
    private func setUpTokens(
        module: String, root: SigningCredential, directory: PKIDirectory, validity: (Date, Date)
    ) throws -> [AuthorityCredential: PKICertificate] {
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        // The ceremony's master keys, one per label the profiles name; they exist here only until imported.
        var masters: TokenSetup.MasterKeys = [:]
        for profile in try library.names().map({ try library.load($0) }) where profile.suite == .international {
            for spec in profile.keys {
                let reference = MasterKeyReference(role: spec.role, label: spec.master)
                if masters[reference] == nil { masters[reference] = try CardKey.random() }
            }
        }
        // Every label must be free before the directory is touched, so a refusal loses nothing.
        let present = try PKCS11Module.load(module).tokens().filter(\.isInitialised).map(\.label)
        if let taken = StationPlace.allCases.map(label).first(where: present.contains) {
            throw KeyCustodyError.tokenExists(label: taken, module: module)
        }
        try directory.prepare(replacing: force)
        var issued: [AuthorityCredential: PKICertificate] = [:]
        for place in StationPlace.allCases {
            let userPIN = TokenPIN.random(), securityOfficerPIN = TokenPIN.random()
            let token = try TokenSetup.setUp(
                place, module: module, label: label(place), securityOfficerPIN: securityOfficerPIN, userPIN: userPIN, masterKeys: masters
            ) { (credential, key) throws(CardSecurityError) in
                try TestAuthority.certify(credential, key: key, authority: name, root: root, notBefore: validity.0, notAfter: validity.1)
            }
            for (credentialName, credential) in token.credentials { issued[credentialName] = credential.certificate }
            try directory.writeTokenConfiguration(
                place, module: module, label: label(place), userPIN: userPIN.text, securityOfficerPIN: securityOfficerPIN.text)
        }
        try directory.writeCertificates(root: root, issued: issued)
        return issued
    }

    private func label(_ place: StationPlace) -> String { "\(tokenPrefix)-\(place.rawValue)" }

    private func describe(_ place: StationPlace) -> String {
        let masters = place.masterRoles.isEmpty ? "no master key" : "master keys of " + KeyRole.allCases.filter(place.masterRoles.contains).map(\.rawValue).joined(separator: ", ")
        let keys = place.credentials.isEmpty ? "" : ", signing keys " + place.credentials.map(\.rawValue).joined(separator: ", ")
        return masters + keys
    }

    private func printCertificates(
        root: PKICertificate, issued: [AuthorityCredential: PKICertificate], directory: PKIDirectory, validity: (Date, Date)
    ) {
        print("Test authority \"\(name)\" written to \(directory.url.path)")
        print("valid \(validity.0.formatted(.iso8601)) to \(validity.1.formatted(.iso8601))")
        let all = [(PKIDirectory.rootName, root)] + AuthorityCredential.allCases.compactMap { credential in issued[credential].map { (credential.rawValue, $0) } }
        for (file, certificate) in all {
            let roles = certificate.roles.map(\.description).sorted().joined(separator: ", ")
            print("  \(file).pem  \(certificate.subject)\(roles.isEmpty ? "" : "  [\(roles)]")")
            print("      SHA-256 \(PKIVerifyCommand.fingerprint(certificate))")
        }
        print("  \(PKIDirectory.rootName).key  the authority's root key (mode 0600): keep it offline; no station reads it")
        print("  \(PKIDirectory.trustBundleFile)  certificates a field verifier carries (root first)")
    }

    /// Certificate validity is counted in UTC days.
    static let utc = StationCalendar(timeZone: TimeZone(identifier: "UTC")!)
}
