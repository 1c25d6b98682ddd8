import ApplicationData
import CardProfiles
import CardSecurity
import Foundation
import Lifecycle

/// What an issuance writes: the holder, the residence address, the permit's dates, the optional
/// holder PIN, and for a replacement card the card it replaces and the permit's current period.
public struct IssueRequest: Sendable, Codable {
    public var holder: HolderIdentity
    public var address: ResidenceAddress
    /// The permit's issue date (kept on replacement cards).
    public var issued: CalendarDate
    /// The holder's PIN, when the profile has one and the holder chose one.
    public var pin: String?
    public var replacement: Replacement?
    /// Resume only on this card (the station's intent journal names the card an issuance started on).
    public var cardSerial: CardSerial?

    /// A new card for an existing permit: the old card's serial and the permit's anchor and expiry today.
    public struct Replacement: Sendable, Codable, Hashable {
        public var replaces: CardSerial
        public var anchor: CalendarDate
        public var expiry: CalendarDate

        public init(replaces: CardSerial, anchor: CalendarDate, expiry: CalendarDate) {
            self.replaces = replaces
            self.anchor = anchor
            self.expiry = expiry
        }
    }

    public init(
        holder: HolderIdentity, address: ResidenceAddress, issued: CalendarDate, pin: String? = nil,
        replacement: Replacement? = nil, cardSerial: CardSerial? = nil
    ) {
        self.holder = holder
        self.address = address
        self.issued = issued
        self.pin = pin
        self.replacement = replacement
        self.cardSerial = cardSerial
    }
}

/// The outcome of an issuance.
public struct IssueResult: Sendable {
    public let serial: CardSerial
    /// The card had been partly personalised by an earlier, interrupted attempt.
    public let resumed: Bool
    public let chipPublicKey: VerifyingKey
    /// The holder's PUK, set with the PIN where the profile has one: for the holder's PIN letter, the only
    /// way to unblock or reset the PIN. Never stored by the station.
    public let puk: String?
}

extension IssueRequest {
    /// The application as ApplicationData checks it, with `today` the station's day: the holder, the
    /// address, and the dates in order (birth < residence since ≤ issued ≤ today).
    public func check(today: CalendarDate) throws(FieldProblem) {
        try holder.check()
        try address.check()
        try ApplicationCheck.dates(
            birth: holder.birthDate, residenceSince: address.since, issued: issued, today: today,
            fields: ("holder.birthDate", "address.since", "issued"))
    }
}

extension PermitCard {
    static let issueOperation = "issue a permit card"

    /// Personalises and finalises a blank or interrupted card (CARD-SPEC §10.1). Every step overwrites
    /// what an earlier attempt wrote, so a card pulled at any point is resumed by calling this again;
    /// until FINALISE the card has life cycle `03` and never verifies as a permit card.
    public func issue(_ request: IssueRequest) async throws(PermitCardError) -> IssueResult {
        let today = calendar.today
        try terminal.requireRole(.issuingStation, for: Self.issueOperation)
        let station = try terminal.requireRecordSigner(.issuingStation, for: Self.issueOperation)
        let documentSigner = try terminal.requireDocumentSigner(for: Self.issueOperation)
        do throws(FieldProblem) { try request.check(today: today) } catch { throw .invalidApplication(error) }
        let holderFile: [UInt8]
        do throws(CardDataError) {
            holderFile = try request.holder.fileContents(size: profile.file(holding: .holder).structure.capacity)
        } catch { throw .invalidInput(error) }
        if let pin = request.pin { try validatePIN(pin) }
        let suite = profile.suite
        do throws(CardSecurityError) { try suite.requireSupported() } catch { throw .security(error) }

        return try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            let serial = fci.serial
            guard !fci.isOperational else { throw .alreadyIssued(serial: serial) }
            if let expected = request.cardSerial, expected != serial { throw .wrongCard(expected: expected, found: serial) }
            // Chip authentication, then the card proves it holds this serial's issuing key, which only a card the
            // bureau initialised does: only then is anything written or signed for it.
            let chip = try await session.authenticateChip()
            try await session.authenticate(.issuingStation, terminal: terminal, fci: fci, for: Self.issueOperation)
            let state = try await session.readState()
            let resumed = Self.phase(of: fci, profile: profile) != .blank || state.newestStatus != nil || state.pinTriesLeft != nil
            let (commands, files) = (session.commands, session.files)
            let chipKeyFile = chip.chipKeyFile
            let chipKey = chip.chipPublicKey

            for spec in profile.keys where spec.role != .issuingStation {
                let key = try terminal.cardKey(spec.role, version: spec.version, profile: profile, serial: serial, for: Self.issueOperation)
                try await session.run(try commands.putKey(spec, version: spec.version, key))
            }
            var puk: String?
            if let pin = request.pin {
                try await session.run(try commands.setPIN(pin))
                if let policy = profile.pin?.puk {
                    let code = Self.randomDigits(policy.length)
                    try await session.run(try commands.setPUK(code))
                    puk = code
                }
            }

            let anchor = request.replacement?.anchor ?? request.issued
            let expiry = request.replacement?.expiry ?? request.issued.adding(months: profile.policy.validityMonths)
            guard let region = DigitCode.district(profile.regionCode) else {
                throw .invalidInput(.invalidField("profile region code", "\(profile.regionCode) is not 6 digits"))
            }
            let info = CardInfo(serial: serial, personalisation: .init(
                suite: suite, profileName: profile.name, profileVersion: profile.version, regionCode: region,
                issued: request.issued, anchor: anchor, expiry: expiry, replaces: request.replacement?.replaces,
                issuingStation: terminal.station))
            try await session.writeBinary(files.cardInfo, at: CardInfo.personalisationOffset, Array(info.encoded.dropFirst(CardInfo.personalisationOffset)))
            try await session.writeBinary(files.holder, at: 0, holderFile)

            // Issuance writes status record 1; the residence record it writes is bound to it.
            let residence: ResidenceRecord
            do throws(CardSecurityError) {
                residence = try ResidenceRecord(
                    sequence: 1, statusSequence: 1, writtenOn: today, address: request.address, serial: serial, station: terminal.station,
                    signer: station)
            } catch { throw .security(error) }
            try await session.run(try commands.updateRecord(files.residence, record: 1, residence.encoded(length: files.residence.recordLength)))

            if state.newestStatus == nil {
                let status: StatusRecord
                do throws(CardSecurityError) {
                    status = try StatusRecord(sequence: 1, change: .issued, effective: today, station: terminal.station, serial: serial, signer: station)
                } catch { throw .security(error) }
                try await session.run(try commands.appendRecord(files.status, status.encoded(length: files.status.recordLength)))
            }

            let written: [FileContent: [UInt8]] = [.cardInfo: info.encoded, .holder: holderFile, .chipPublicKey: chipKeyFile]
            var covered: [UInt16: [UInt8]] = [:]
            for name in profile.securityObjectCovers {
                guard let spec = profile.file(named: name), let contents = written[spec.content] else {
                    throw .invalidInput(.invalidField("profile securityObject.covers", "cannot cover file \(name)"))
                }
                covered[spec.fid] = contents
            }
            let sodBytes: [UInt8]
            do throws(CardSecurityError) {
                let content = try SecurityObject(suite: suite, serial: serial, signedOn: today, chipPublicKey: chipKey, files: covered)
                sodBytes = try SignedSecurityObject.sign(content, signer: documentSigner).encoded
            } catch { throw .security(error) }
            let sodFile = files.securityObject
            guard sodBytes.count <= sodFile.size else {
                throw .invalidInput(.invalidLayout(sodFile.name, "the security object takes \(sodBytes.count) bytes, the file has \(sodFile.size)"))
            }
            try await session.writeBinary(sodFile, at: 0, sodBytes + [UInt8](repeating: 0, count: sodFile.size - sodBytes.count))
            try await session.run(try commands.activateFile())
            return IssueResult(serial: serial, resumed: resumed, chipPublicKey: chipKey, puk: puk)
        }
    }

    /// `count` random decimal digits from the system's generator (a PUK).
    static func randomDigits(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }

    func validatePIN(_ pin: String) throws(PermitCardError) {
        guard let policy = profile.pin else {
            throw .invalidInput(.invalidField("PIN", "profile \(profile.name) has no holder PIN"))
        }
        guard (policy.minLength...policy.maxLength).contains(pin.count), pin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidInput(.invalidField("PIN", "must be \(policy.minLength)-\(policy.maxLength) digits"))
        }
    }
}
