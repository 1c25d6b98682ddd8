import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import InProcessCard
import Kiosk
import Lifecycle
import PermitApplet
import PermitCard
import SmartCard
import Synchronization

/// The test authority, the terminals and the holder of the kiosk tests.
enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func profile(_ name: String) throws -> CardProfile {
        try CardProfile.load(contentsOf: repository.appendingPathComponent("cardprofiles/\(name).json"))
    }

    static let calendar = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static let authority: TestAuthority = {
        try! TestAuthority.generate(
            notBefore: calendar.noon(of: CalendarDate(year: 2025, month: 1, day: 1)!), notAfter: calendar.noon(of: CalendarDate(year: 2035, month: 1, day: 1)!))
    }()

    static let issuing = PermitTerminal.issuingStation(
        station: DigitCode.station("330102000001")!, masterKeys: authority.masterKeys, stationCredential: authority.issuingStation,
        documentSigner: authority.documentSigner, trust: authority.trustStore)

    static let kiosk = PermitTerminal.endorsingStation(
        station: DigitCode.station("330102000009")!, masterKeys: authority.masterKeys, credential: authority.kiosk, trust: authority.trustStore)

    static let holder = HolderIdentity(
        name: "张伟", latinName: "ZHANG WEI", sex: "1", birthDate: CalendarDate(year: 1990, month: 5, day: 17)!, ethnicGroup: "01",
        citizenID: try! CitizenID("110105199005171233"), householdAddress: "北京市东城区景山前街4号", permitNumber: "330102202600001",
        issuingAuthority: "杭州市公安局上城区分局", authorityStation: DigitCode.station("330102000001")!)

    static let issued = CalendarDate(year: 2026, month: 3, day: 1)!

    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
}

/// The kiosk's station over the reference card in this process: reads and endorses with the kiosk's
/// terminal through the card layer, prints nothing (the test says how printing went).
final class ReferenceKiosk: KioskCardService {
    let profiles: [CardProfile]
    let reader: InProcessReader
    private let state: Mutex<(day: CalendarDate, printOutcome: PrintOutcome, printed: [EndorsementPlan])>

    /// A reader holding a card of `profile` issued on `Fixture.issued` (with `pin` when given), or a blank one.
    init(profile name: String = "zhejiang", pin: String? = "123456", issue: Bool = true, on day: CalendarDate) async throws {
        profiles = [try Fixture.profile("zhejiang"), try Fixture.profile("inner-mongolia")]
        let profile = profiles.first { $0.name == name }!
        let card = try PermitApplet.freshCard(profile: profile, serial: try CardSerial(bytes: [0x5A, 0x4A, 0, 0, 0, 0, 0, 1]), masterKeys: Fixture.authority.masterKeys)
        reader = InProcessReader(card: card, name: "Kiosk reader")
        state = Mutex((day, .printed, []))
        if issue {
            let address = ResidenceAddress(district: DigitCode.district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: Fixture.day("2025-09-01"))
            _ = try await permitCard(Fixture.issuing, on: Fixture.issued).issue(IssueRequest(holder: Fixture.holder, address: address, issued: Fixture.issued, pin: pin))
        }
    }

    var today: CalendarDate {
        get { state.withLock { $0.day } }
        set { state.withLock { $0.day = newValue } }
    }

    var printOutcome: PrintOutcome {
        get { state.withLock { $0.printOutcome } }
        set { state.withLock { $0.printOutcome = newValue } }
    }

    /// The stamps sent to the printer, in order.
    var printed: [EndorsementPlan] { state.withLock { $0.printed } }

    /// The card layer on this reader for `terminal`, on a stopped clock at `day`.
    func permitCard(_ terminal: PermitTerminal, on day: CalendarDate? = nil) throws(PermitCardError) -> PermitCard {
        guard let profile = profiles.first(where: { $0.card.matchesATR(reader.card.atr.bytes) }) else {
            throw .wrongProduct(atr: reader.card.atr.bytes, profile: profiles.map(\.name).joined(separator: " or "))
        }
        do {
            let connection = try reader.connect(options: ChannelOptions(extendedLength: profile.apdu.extendedLength))
            return PermitCard(connection: connection, profile: profile, terminal: terminal, clock: .test(day: day ?? today))
        } catch { throw .communication("\(error)") }
    }

    func read(reader: String) async throws(PermitCardError) -> PresentedCard {
        let card = try permitCard(Fixture.kiosk)
        return try PresentedCard(reading: try await card.read(), profile: card.profile)
    }

    func endorse(reader: String, serial: CardSerial, pin: String?) async throws(PermitCardError) -> Endorsed {
        let record = try await permitCard(Fixture.kiosk).endorse(pin: pin)
        return Endorsed(expiry: record.expiry, residenceSince: record.anchor)
    }

    func printStamp(card: PresentedCard, plan: EndorsementPlan) async -> PrintOutcome {
        state.withLock { $0.printed.append(plan) }
        return printOutcome
    }
}

/// Runs a `KioskFlow` as the daemon's session does: each effect is carried out on the reference kiosk
/// and its result fed back, until the flow waits for the holder or a card event.
struct KioskDriver {
    var flow: KioskFlow
    let kiosk: ReferenceKiosk

    init(_ kiosk: ReferenceKiosk, printsFace: Bool = true) {
        self.kiosk = kiosk
        flow = KioskFlow(printsFace: printsFace, today: { [kiosk] in kiosk.today })
    }

    var state: KioskState { flow.state }

    mutating func send(_ input: KioskInput) async {
        var effect = flow.handle(input)
        while let next = effect {
            effect = flow.handle(await run(next))
        }
    }

    /// Carries out one effect without feeding its result back (to put an event between the two).
    func run(_ effect: KioskEffect) async -> KioskInput {
        switch effect {
        case .readCard:
            do { return .cardRead(.success(try await kiosk.read(reader: ""))) } catch { return .cardRead(.failure(error)) }
        case .endorse(let serial, let pin):
            do { return .endorsed(.success(try await kiosk.endorse(reader: "", serial: serial, pin: pin))) } catch { return .endorsed(.failure(error)) }
        case .printStamp(let card, let plan):
            return .printed(await kiosk.printStamp(card: card, plan: plan))
        }
    }

    /// Inserts the card and reads it.
    mutating func insert() async {
        kiosk.reader.insert()
        await send(.cardInserted)
    }

    mutating func remove() async {
        kiosk.reader.remove()
        await send(.cardRemoved)
    }
}
