import ArgumentParser
import CardSecurity
import Foundation
import KeyCustody

/// `permit pki verify --dir DIR`: reads an authority directory back and checks it is usable: every
/// certificate chains to the root with its role at a date, every place's token holds exactly its
/// place's keys (or every development key file matches its certificate).
struct PKIVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an authority directory: certificates chain to the root at a date, each token holds its place's keys.")

    @Option(help: "The authority directory (as written by `permit pki init`).")
    var dir: String
    @Option(help: dateHelp("Check validity on this day (from midnight UTC). Default: now."))
    var on: CalendarDate?
    @Option(help: "Also check a signed status list file (from `permit pki status-list`).")
    var statusList: String?

    func run() async throws {
        // The command's one clock reading: the default day of the check.
        let date = on.map(PKIInitCommand.utc.start(of:)) ?? Date()
        let directory = PKIDirectory(url: URL(fileURLWithPath: dir, isDirectory: true))
        let trust = try directory.trustStore()
        var failures = 0
        func report(_ subject: String, _ verdict: Verdict) {
            if !verdict.isPassed { failures += 1 }
            print("\(subject): \(verdict)")
        }
        for name in AuthorityCredential.allCases {
            let certificate = try directory.certificate(name.rawValue)
            var verdict = Verdict.passed
            for role in CertificateRole.allCases where name.roles.contains(role) && verdict.isPassed {
                verdict = await trust.verify(certificate, for: role, at: date)
            }
            if verdict.isPassed, !trust.certificates.contains(certificate) {
                verdict = .failed(reason: "\(name).pem is missing from \(PKIDirectory.trustBundleFile)")
            }
            report("\(name) certificate", verdict)
        }
        let inFiles = FileManager.default.fileExists(atPath: directory.masterKeysURL.path)
        for place in StationPlace.allCases {
            guard inFiles || FileManager.default.fileExists(atPath: directory.tokenConfigurationURL(place).path) else {
                report("\(place.rawValue) keys", .failed(reason: "\(place.rawValue).token.json is missing"))
                continue
            }
            report("\(place.rawValue) keys (\(inFiles ? "files" : "token"))", try Self.check(directory.stationKeys(place, keys: nil, inFiles: inFiles), directory: directory))
        }
        if let statusList {
            let verdict: Verdict
            do {
                let list = try StatusListFile.read(statusList)
                print("status list: sequence \(list.content.sequence), issued \(list.content.issuedOn), \(list.content.entries.count) card(s)")
                verdict = await list.verifySignature(trust: trust, at: date)
            } catch {
                verdict = .failed(reason: "\(error)")
            }
            report("status list", verdict)
        }
        guard failures == 0 else { throw ExitCode(1) }
    }

    /// The place's keys are exactly its roles' master keys and its credentials, each the key of its certificate.
    static func check(_ keys: StationKeys, directory: PKIDirectory) throws -> Verdict {
        guard keys.masterKeys.roles == keys.place.masterRoles else {
            let held = keys.masterKeys.roles.map(\.rawValue).sorted().joined(separator: ", ")
            return .failed(reason: "it holds the master keys of [\(held)], the \(keys.place) must hold exactly those of its roles")
        }
        for name in keys.place.credentials {
            guard let credential = keys.credentials[name] else { return .failed(reason: "the \(name) credential is missing") }
            guard credential.publicKey == (try directory.certificate(name.rawValue)).publicKey else {
                return .failed(reason: "the \(name) key is not the key of \(name).pem")
            }
        }
        return .passed
    }

    static func fingerprint(_ certificate: PKICertificate) -> String {
        certificate.fingerprint.map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
