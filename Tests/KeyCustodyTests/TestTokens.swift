import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import PKCS11
import TestPrograms

/// Tokens for the tests, set up in this process's private SoftHSM2 directory (never the machine's).
enum TestTokens {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func profile(_ name: String = "zhejiang") throws -> CardProfile {
        try CardProfile.load(contentsOf: repository.appendingPathComponent("cardprofiles/\(name).json"))
    }

    static let notBefore = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    static let notAfter = Date(timeIntervalSince1970: 2_051_222_400)  // 2035-01-01
    static let authorityName = "KeyCustody Test Authority"
    static let root = try! TestAuthority.makeRoot(name: authorityName, notBefore: notBefore, notAfter: notAfter)

    /// One key ceremony's master keys: a random key for every master label `profile` names.
    static func masterKeys(for profile: CardProfile) throws -> TokenSetup.MasterKeys {
        var keys: TokenSetup.MasterKeys = [:]
        for spec in profile.keys {
            keys[MasterKeyReference(role: spec.role, label: spec.master)] = try CardKey.random()
        }
        return keys
    }

    /// What a verifier trusts: the root and the certificates of `tokens`.
    static func trust(_ tokens: [StationToken]) -> TrustStore {
        TrustStore(root: root.certificate, certificates: tokens.flatMap { $0.credentials.values.map(\.certificate) })
    }

    struct Made {
        let token: StationToken
        let configuration: TokenConfiguration
        let userPIN: TokenPIN
    }

    /// Sets up `place`'s token under a label no other test uses, with its PIN in a 0600 file.
    static func setUp(_ place: StationPlace, masterKeys: TokenSetup.MasterKeys) throws -> Made {
        SoftHSMTokens.useInThisProcess()
        let label = "t-\(place.rawValue)-\(UUID().uuidString.prefix(8))"
        let userPIN = TokenPIN.random()
        let token = try TokenSetup.setUp(
            place, module: SoftHSMTokens.module, label: label, securityOfficerPIN: .random(), userPIN: userPIN, masterKeys: masterKeys
        ) { (credential, key) throws(CardSecurityError) in
            try TestAuthority.certify(credential, key: key, authority: authorityName, root: root, notBefore: notBefore, notAfter: notAfter)
        }
        let directory = ScratchDirectory.make("token")
        let pinFile = directory.appendingPathComponent("\(place.rawValue).pin")
        _ = FileManager.default.createFile(atPath: pinFile.path, contents: Data((userPIN.text + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return Made(token: token, configuration: TokenConfiguration(module: SoftHSMTokens.module, token: label, pinFile: pinFile.path), userPIN: userPIN)
    }

    /// A session of the test's own on `label`, logged in as the user: to look at what the token holds.
    static func inspectionSession(_ made: Made) throws -> PKCS11Session {
        let module = try PKCS11Module.load(SoftHSMTokens.module)
        let session = try module.openSession(try module.token(labelled: made.configuration.token))
        try session.login(.user, pin: made.userPIN)
        return session
    }
}
