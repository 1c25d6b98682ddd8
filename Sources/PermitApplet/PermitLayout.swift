import CardEmulator
import CardProfiles
import CardSecurity

/// Where the application's files live on the emulated card and who may use each command: everything
/// the applet takes from the card profile, resolved once.
struct PermitLayout: Sendable {
    /// The application DF's file identifier under the MF. The profile does not name one (terminals select
    /// the application by AID, CARD-SPEC §4), so the emulator uses this fixed value.
    static let applicationFileID: UInt16 = 0xDF01

    let profile: CardProfile
    let suite: CryptoSuite
    let applicationPath: FilePath
    private let paths: [FileContent: FilePath]
    private let commandConditions: [ApplicationCommand: CardEmulator.AccessCondition]

    init(profile: CardProfile) throws(PermitAppletError) {
        let suite = profile.suite
        do throws(CardSecurityError) {
            try suite.requireSupported()
        } catch {
            throw .unsupportedProfile(profile: profile.name, reason: error.description)
        }
        let application = FilePath.masterFile.appending(Self.applicationFileID)!
        var paths: [FileContent: FilePath] = [:]
        for file in profile.files {
            guard let path = application.appending(file.fid) else {
                throw .unsupportedProfile(profile: profile.name, reason: "file \(file.name) has a reserved file identifier")
            }
            guard file.sfi != nil else {
                throw .unsupportedProfile(
                    profile: profile.name,
                    reason: "file \(file.name) has no SFI; the application addresses every file by SFI (CARD-SPEC §5)")
            }
            paths[file.content] = path
        }
        for content in FileContent.allCases where paths[content] == nil {
            throw .unsupportedProfile(profile: profile.name, reason: "it has no \(content.rawValue) file")
        }
        self.profile = profile
        self.suite = suite
        self.applicationPath = application
        self.paths = paths
        var conditions: [ApplicationCommand: CardEmulator.AccessCondition] = [:]
        for command in ApplicationCommand.allCases {
            conditions[command] = CardEmulator.AccessCondition(
                profile.commands[command] ?? AccessRule(.never), isWrite: command.isWrite)
        }
        self.commandConditions = conditions
    }

    func path(of content: FileContent) -> FilePath { paths[content]! }

    /// The profile's description of the file at `path`, if it is one of the application's.
    func content(at path: FilePath) -> FileContent? {
        paths.first { $0.value == path }?.key
    }

    func condition(for command: ApplicationCommand) -> CardEmulator.AccessCondition { commandConditions[command]! }

    /// The emulator's access rules for one of the profile's files.
    static func accessRules(of file: FileSpec) -> AccessRules {
        var rules = AccessRules()
        for (operation, rule) in file.access {
            rules[CardEmulator.FileOperation(operation.rawValue)] =
                CardEmulator.AccessCondition(rule, isWrite: operation != .read)
        }
        return rules
    }

    // MARK: - Reading the card's files

    /// The contents of a transparent file of the application.
    func transparent(_ content: FileContent, in state: CardState) -> [UInt8] {
        guard case .transparent(let data) = state.fileSystem[path(of: content)]?.content else { return [] }
        return data
    }

    /// The records of a record file of the application (for a cyclic file, the newest first).
    func records(_ content: FileContent, in state: CardState) -> [[UInt8]] {
        guard case .records(let file) = state.fileSystem[path(of: content)]?.content else { return [] }
        return file.records
    }

    /// The card serial, EF.CARD bytes 1-8 (written at card initialisation).
    func serial(in state: CardState) throws(StatusWord) -> CardSerial {
        let card = transparent(.cardInfo, in: state)
        guard card.count >= 9, let serial = try? CardSerial(bytes: Array(card[1..<9])) else {
            throw .noPreciseDiagnosis
        }
        return serial
    }

    /// The newest status record (record 1 of the cyclic EF.STATUS), if any.
    func newestStatus(in state: CardState) -> [UInt8]? {
        records(.status, in: state).first
    }
}
