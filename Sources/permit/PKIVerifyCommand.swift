import ArgumentParser
import CardSecurity
import Foundation

/// `permit pki verify --dir DIR`: reads an authority directory back and checks it is usable: every
/// key matches its certificate and every certificate chains to the root with its role at a date.
struct PKIVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an authority directory: keys match certificates, certificates chain to the root at a date.")

    @Option(help: "The authority directory (as written by `permit pki init`).")
    var dir: String
    @Option(help: "Check validity on this day, YYYY-MM-DD (UTC midnight). Default: now.")
    var on: String?
    @Option(help: "Also check a signed status list file (from `permit pki status-list`).")
    var statusList: String?

    func validate() throws {
        if let on, PKIInitCommand.day(on) == nil {
            throw ValidationError("--on: \"\(on)\" is not a calendar date; write it as YYYY-MM-DD (for example 2026-01-01).")
        }
    }

    func run() async throws {
        // The command's one clock reading: the default day of the check.
        let date = on.flatMap(PKIInitCommand.day) ?? Date()
        let directory = PKIDirectory(url: URL(fileURLWithPath: dir, isDirectory: true))
        let trust = try directory.trustStore()
        let masterKeys = try directory.masterKeys()
        print("master keys: \(masterKeys.suite.rawValue) suite, roles \(KeyRole.allCases.map(\.rawValue).joined(separator: ", "))")

        var failures = 0
        for (name, role) in Self.expectedRoles {
            let credential = try directory.credential(name)
            var verdict = credential.certificate.publicKey == credential.key.publicKey
                ? await trust.verify(credential.certificate, for: role, at: date)
                : .failed(reason: "\(name).key is not the key of \(name).pem")
            if verdict.isPassed, !trust.certificates.contains(credential.certificate) {
                verdict = .failed(reason: "\(name).pem is missing from \(PKIDirectory.trustBundleFile)")
            }
            if !verdict.isPassed { failures += 1 }
            print("\(name): \(role) \(verdict)")
        }
        if let statusList {
            let verdict: Verdict
            do {
                let list = try SignedStatusList(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: statusList))))
                print("status list: sequence \(list.content.sequence), issued \(list.content.issuedOn), \(list.content.entries.count) card(s)")
                verdict = await list.verifySignature(trust: trust, at: date)
            } catch {
                verdict = .failed(reason: "\(statusList) cannot be read as a status list: \(error)")
            }
            if !verdict.isPassed { failures += 1 }
            print("status list: \(verdict)")
        }
        guard failures == 0 else { throw ExitCode(1) }
    }

    /// Each credential and the role its certificate must carry.
    static let expectedRoles: [(String, CertificateRole)] = [
        ("document-signer", .documentSigner), ("issuing-station", .issuingStation),
        ("endorsing-station", .endorsingStation), ("kiosk", .endorsingStation),
    ]

    static func fingerprint(_ certificate: PKICertificate) -> String {
        certificate.fingerprint.map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
