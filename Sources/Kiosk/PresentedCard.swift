import CardProfiles
import CardSecurity
import Lifecycle
import PermitCard

/// What the kiosk knows of the card in its reader after one full read: who it belongs to (for the screen,
/// the citizen ID masked), the permit's standing on the chip, and what the profile asks of a self-endorsement.
public struct PresentedCard: Sendable, Hashable {
    public let serial: CardSerial
    /// The card profile's name (e.g. `zhejiang`) and its region's rules.
    public let profile: String
    public let policy: RegionPolicy
    public let holderName: String
    public let latinName: String?
    public let permitNumber: String
    public let citizenID: CitizenID
    /// The permit as the rules see it from the chip's dates (nil: dates the region's rules do not write),
    /// and what the card's EF.STATUS records beyond the rules (an officer's suspension, a void card).
    public let permit: PermitState?
    public let status: CardStatus
    public let endorsementCount: Int
    /// Free records left in the card's endorsement file.
    public let endorsementsLeft: Int
    /// Whether the profile asks the holder's PIN for an endorsement at a kiosk, and the PIN's length.
    public let pin: PINPolicy?
    /// The tries the card's PIN counter has left (nil: the card has no PIN).
    public let pinTriesLeft: Int?

    public init(
        serial: CardSerial, profile: String, policy: RegionPolicy, holderName: String, latinName: String?, permitNumber: String,
        citizenID: CitizenID, permit: PermitState?, status: CardStatus, endorsementCount: Int, endorsementsLeft: Int, pin: PINPolicy?, pinTriesLeft: Int?
    ) {
        self.serial = serial
        self.profile = profile
        self.policy = policy
        self.holderName = holderName
        self.latinName = latinName
        self.permitNumber = permitNumber
        self.citizenID = citizenID
        self.permit = permit
        self.status = status
        self.endorsementCount = endorsementCount
        self.endorsementsLeft = endorsementsLeft
        self.pin = pin
        self.pinTriesLeft = pinTriesLeft
    }

    /// The card as a kiosk of `role` reads it: refuses a card that is not a permit card of `profile`, an
    /// unfinished card and a chip that did not prove itself, with the card layer's own errors.
    public init(reading: CardReading, profile: CardProfile, role: KeyRole = .endorsingStation) throws(PermitCardError) {
        guard reading.isComplete else { throw .cardIncomplete(serial: reading.serial) }
        if let failure = reading.chipFailure { throw .copiedCard(reason: failure) }
        guard let state = reading.state else { throw .malformedCard(.invalidLayout("EF.CARD", "not read")) }
        let holder: HolderIdentity
        let status: CardStatus
        do throws(CardDataError) {
            holder = try reading.holder()
            status = try reading.status()
        } catch { throw .malformedCard(error) }
        let count = state.endorsementCount
        let capacity = Self.recordCount(of: profile.files.first { $0.content == .endorsements }?.structure)
        self.init(
            serial: reading.serial, profile: profile.name, policy: profile.policy, holderName: holder.name, latinName: holder.latinName,
            permitNumber: holder.permitNumber, citizenID: holder.citizenID,
            permit: try? reading.permitState(policy: profile.policy), status: status, endorsementCount: count,
            endorsementsLeft: max(0, capacity - count),
            pin: PermitCard.endorsementNeedsPIN(by: role, profile: profile) ? profile.pin : nil, pinTriesLeft: state.pinTriesLeft)
    }

    private static func recordCount(of structure: FileStructure?) -> Int {
        switch structure {
        case .linearFixed(_, let count)?, .linearVariable(_, let count)?, .cyclic(_, let count)?: count
        case .transparent?, nil: 0
        }
    }

    /// The citizen ID as the kiosk shows it: all but the last four characters hidden (issue 11 item 5).
    public var maskedCitizenID: String {
        String(repeating: "*", count: citizenID.text.count - 4) + citizenID.text.suffix(4)
    }

    /// The validity and the start of the residence period the chip holds now.
    public var expiry: CalendarDate? { permit?.expiry(policy) }
    public var residenceSince: CalendarDate? { permit?.residenceSince }

    /// Whether the holder must enter the PIN to endorse here.
    public var needsPIN: Bool { pin != nil }
}

/// What the kiosk asks of the station: one read of the card in its reader, the station's endorsement
/// act (which journals it, writes the card and records it in the registry), and the print of the new
/// validity on the card's face. The daemon gives the real one; tests give one over the reference card.
public protocol KioskCardService: Sendable {
    /// Reads the card in `reader` and what the profile asks of a kiosk endorsement.
    func read(reader: String) async throws(PermitCardError) -> PresentedCard
    /// Endorses the card in `reader`, provided it is still the card `serial`, with the holder's PIN when the profile asks.
    func endorse(reader: String, serial: CardSerial, pin: String?) async throws(PermitCardError) -> Endorsed
    /// Prints the stamp of `plan` (the endorsement just written) on the card's face.
    func printStamp(card: PresentedCard, plan: EndorsementPlan) async -> PrintOutcome
}
