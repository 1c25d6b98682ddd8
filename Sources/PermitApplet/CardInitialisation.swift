import CardEmulator
import CardProfiles
import CardSecurity

/// Card initialisation (CARD-SPEC §9): what exists on a chip before any station sees it. Done once per
/// chip by the card bureau; for the emulator it is what creating a blank card means.
extension PermitApplet {
    /// The state of a blank card of `profile` with `serial`: the application DF (LCS `03`) with every EF of
    /// the profile (residence slots filled with `00`, record files otherwise empty, transparent files `00`),
    /// EF.CARD bytes 0-8 (`01` and the serial), the chip key generated on the chip with its public point in
    /// EF.CHIPKEY (`chipKey` only to make a clone in tests), and the issuing-station key diversified for this
    /// serial from the authority's master key (in the card bureau's token, or a development file's keys).
    /// No other key and no PIN yet.
    public static func initialState(
        profile: CardProfile, serial: CardSerial, masterKeys: some MasterKeyStore, chipKey: AgreementKey? = nil
    ) throws(PermitAppletError) -> CardState {
        let layout = try PermitLayout(profile: profile)
        let atr: ATR
        do throws(ATRError) {
            atr = try ATR(bytes: profile.card.atr)
        } catch {
            throw .invalidATR(profile: profile.name, reason: error.description)
        }
        let chip: AgreementKey
        do throws(CardSecurityError) {
            if let chipKey { chip = chipKey } else { chip = try AgreementKey.random(suite: layout.suite) }
        } catch {
            throw .unsupportedProfile(profile: profile.name, reason: error.description)
        }
        var state = CardState(atr: atr, fileSystem: try fileSystem(layout: layout, serial: serial, chipKey: chip.publicKey))
        state.lifeCycle = .personalisation
        state.chipPrivateKey = chip.rawRepresentation
        guard let issuing = profile.key(for: .issuingStation) else {
            throw .unsupportedProfile(profile: profile.name, reason: "it has no issuing-station key")
        }
        do throws(CardSecurityError) {
            guard masterKeys.suite == layout.suite else {
                throw CardSecurityError.malformedKey("the master keys are for the \(masterKeys.suite.rawValue) suite, the profile uses \(layout.suite.rawValue)")
            }
            let key = try CardKeys.cardKey(issuing, masterKeys: masterKeys, serial: serial, aid: profile.card.aid)
            state.setRoleKey(number: issuing.number, version: UInt8(truncatingIfNeeded: issuing.version), bytes: key.rawBytes)
        } catch {
            throw .keyDerivation(profile: profile.name, reason: error.description)
        }
        return state
    }

    private static func fileSystem(layout: PermitLayout, serial: CardSerial, chipKey: VerifyingKey) throws(PermitAppletError) -> FileSystem {
        var fs = FileSystem()
        var files = [CardFile(
            path: layout.applicationPath, content: .dedicated(name: layout.profile.card.aid), access: AccessRules())]
        for spec in layout.profile.files {
            let content: CardFile.Content
            switch spec.structure {
            case .transparent(let size):
                var data = [UInt8](repeating: 0, count: size)
                if spec.content == .cardInfo {
                    data.replaceSubrange(0..<9, with: [0x01] + serial.bytes)
                }
                if spec.content == .chipPublicKey {
                    data.replaceSubrange(0..<ChipKeyFile.length, with: ChipKeyFile.encode(chipKey))
                }
                content = .transparent(data: data)
            case .linearFixed(let length, let count):
                let empty = [UInt8](repeating: 0, count: length)
                let records = spec.content == .residence ? Array(repeating: empty, count: count) : []
                content = .records(RecordFile(structure: .linearFixed, maxRecordLength: length, maxRecords: count, records: records))
            case .linearVariable(let length, let count):
                content = .records(RecordFile(structure: .linearVariable, maxRecordLength: length, maxRecords: count))
            case .cyclic(let length, let count):
                content = .records(RecordFile(structure: .cyclic, maxRecordLength: length, maxRecords: count))
            }
            files.append(CardFile(
                path: layout.path(of: spec.content), shortID: spec.sfi.map(UInt8.init), content: content,
                access: PermitLayout.accessRules(of: spec)))
        }
        do throws(FileSystemError) {
            for file in files { try fs.create(file) }
        } catch {
            throw .unsupportedProfile(profile: layout.profile.name, reason: error.description)
        }
        return fs
    }

    /// A blank card of `profile` (card initialisation done, nothing personalised), in memory, ready to be
    /// plugged into a vpcd link or driven directly with `transmit`. Power it on first when driving it directly.
    public static func freshCard(
        profile: CardProfile, serial: CardSerial, masterKeys: some MasterKeyStore, random: RandomSource = .system
    ) throws(PermitAppletError) -> EmulatedCard {
        EmulatedCard(
            state: try initialState(profile: profile, serial: serial, masterKeys: masterKeys),
            applet: try PermitApplet(profile: profile), random: random)
    }

    /// A permit card whose state lives in `store`: loaded when the file exists (it must hold this profile's
    /// application), else a blank card initialised with `serial` and saved at once.
    public static func card(
        profile: CardProfile, store: CardStateStore, serial: CardSerial, masterKeys: some MasterKeyStore,
        random: RandomSource = .system
    ) throws(PermitAppletError) -> EmulatedCard {
        let applet = try PermitApplet(profile: profile)
        let blank = try initialState(profile: profile, serial: serial, masterKeys: masterKeys)
        let card: EmulatedCard
        do throws(CardStateStoreError) {
            card = try EmulatedCard(store: store, initial: blank, applet: applet, random: random)
        } catch {
            throw .stateFile(error)
        }
        let state = card.state
        do throws(PermitAppletError.ImpossibleState) { try applet.checkMemory(of: state) } catch {
            throw .impossibleState(path: store.path, error)
        }
        guard state.lifeCycle != nil,
              state.fileSystem[applet.layout.applicationPath]?.dedicatedFileName == profile.card.aid
        else { throw .stateOfAnotherCard(path: store.path, profile: profile.name) }
        return card
    }
}
