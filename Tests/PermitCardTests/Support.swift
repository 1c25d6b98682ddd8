import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import InProcessCard
import Lifecycle
import PCSCSandbox
import PermitApplet
import PermitCard
import SmartCard
import Synchronization
import Testing

/// Shared fixtures: the shipped profiles, one test authority, terminals of each role, and a holder.
enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func profile(_ name: String) throws -> CardProfile {
        try CardProfile.load(contentsOf: repository.appendingPathComponent("cardprofiles/\(name).json"))
    }

    /// Test day: 2026-03-01 (test clocks stand at noon in China).
    static let issueDay = CalendarDate(year: 2026, month: 3, day: 1)!

    /// The profiles' calendar (Asia/Shanghai) on the system clock; tests step a test clock with `PermitCard.with(clock:)`.
    static let calendar = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// Noon of `date` in China: an instant for certificates and signature checks.
    static func moment(_ date: CalendarDate) -> Date { calendar.noon(of: date) }

    static let authority: TestAuthority = {
        try! TestAuthority.generate(notBefore: moment(CalendarDate(year: 2025, month: 1, day: 1)!), notAfter: moment(CalendarDate(year: 2035, month: 1, day: 1)!))
    }()

    static let station = DigitCode.station("330102000001")!
    static let kioskStation = DigitCode.station("330102000009")!

    /// A status list signed by the authority's status-list signer, issued on `day`, listing `entries` (none by default).
    static func statusList(_ entries: [StatusList.Entry] = [], sequence: UInt32 = 1, issuedOn day: CalendarDate = issueDay) -> SignedStatusList {
        let list = try! StatusList(suite: .international, issuedOn: day, sequence: sequence, entries: entries)
        return try! SignedStatusList.sign(list, signer: authority.statusListSigner)
    }

    static func issuingStation(statusList: SignedStatusList? = Fixture.statusList()) -> PermitTerminal {
        .issuingStation(station: station, masterKeys: authority.masterKeys, stationCredential: authority.issuingStation,
                        documentSigner: authority.documentSigner, trust: authority.trustStore, statusList: statusList)
    }

    static var kiosk: PermitTerminal {
        .endorsingStation(station: kioskStation, masterKeys: authority.masterKeys, credential: authority.kiosk, trust: authority.trustStore)
    }

    /// A field verifier carrying a status list issued on `day`, so fresh when it verifies that day, listing `entries`.
    static func verifier(on day: CalendarDate, listing entries: [StatusList.Entry] = [], sequence: UInt32 = 1) -> PermitTerminal {
        verifier(statusList: statusList(entries, sequence: sequence, issuedOn: day))
    }

    /// A field verifier carrying `statusList` (nil: none).
    static func verifier(statusList: SignedStatusList?) -> PermitTerminal {
        .verifier(masterKeys: authority.masterKeys, trust: authority.trustStore, statusList: statusList, station: DigitCode.station("330102000099")!)
    }

    static let holder = HolderIdentity(
        name: "张伟", latinName: "ZHANG WEI", sex: "1", birthDate: CalendarDate(year: 1990, month: 5, day: 17)!, ethnicGroup: "01",
        citizenID: try! CitizenID("110105199005171233"), householdAddress: "北京市东城区景山前街4号", permitNumber: "330102202600001",
        issuingAuthority: "杭州市公安局上城区分局", authorityStation: station)

    static let address = ResidenceAddress(
        district: DigitCode.district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: CalendarDate(year: 2025, month: 9, day: 1)!)

    static func request(pin: String? = "123456") -> IssueRequest {
        IssueRequest(holder: holder, address: address, issued: issueDay, pin: pin)
    }

    static func serial(_ last: UInt8) -> CardSerial { try! CardSerial(bytes: [0x5A, 0x4A, 0, 0, 0, 0, 0, last]) }
}

/// A reader holding a reference card with the permit application. Most tests use one in the test's
/// own process (`InProcessBench`: fast, no pcscd); the end-to-end set uses one through the real stack
/// (`PCSCBench`: Swift -> libpcsclite -> private pcscd -> vpcd -> emulator). Test bodies see only this.
protocol CardBench: Sendable {
    var profile: CardProfile { get }
    /// The card itself, to load a state or look at what it stored.
    var card: EmulatedCard { get }
    /// The card API for `terminal` over a new connection with the profile's APDU options.
    func permitCard(_ terminal: PermitTerminal, trace: APDUTrace?) async throws -> PermitCard
    /// Arms a fault plan on the card's reader; APDUs are counted from here.
    func setFaultPlan(_ plan: FaultPlan)
    /// Command APDUs the card received since the fault plan was set.
    var apduCount: Int { get }
    /// Puts a card back that a fault pulled, and waits until it answers.
    func reinsert() async throws
}

extension CardBench {
    func permitCard(_ terminal: PermitTerminal) async throws -> PermitCard { try await permitCard(terminal, trace: nil) }
}

/// The reference card in this process.
struct InProcessBench: CardBench {
    let profile: CardProfile
    let reader: InProcessReader
    var card: EmulatedCard { reader.card }

    func permitCard(_ terminal: PermitTerminal, trace: APDUTrace?) async throws -> PermitCard {
        let connection = try reader.connect(options: ChannelOptions(extendedLength: profile.apdu.extendedLength), trace: trace)
        return PermitCard(connection: connection, profile: profile, terminal: terminal)
    }

    func setFaultPlan(_ plan: FaultPlan) { reader.setFaultPlan(plan) }
    var apduCount: Int { reader.faults.apduCount }
    func reinsert() async throws { reader.insert() }
}

/// A leased sandbox reader of the private pcscd holding the reference card. Connections it makes are
/// closed when the test's `withPCSCCard` ends.
final class PCSCBench: CardBench {
    let slot: SandboxSlot
    let profile: CardProfile
    let card: EmulatedCard
    let link: VPCDLink
    let context: PCSCContext
    private let opened = Mutex<[CardConnection]>([])

    init(slot: SandboxSlot, profile: CardProfile, card: EmulatedCard, link: VPCDLink, context: PCSCContext) {
        self.slot = slot
        self.profile = profile
        self.card = card
        self.link = link
        self.context = context
    }

    /// A PC/SC connection with the profile's APDU options, closed at the end of the test.
    func connect(trace: APDUTrace? = nil) async throws -> CardConnection {
        let connection = try await context.connect(
            slot.readerName, options: ChannelOptions(extendedLength: profile.apdu.extendedLength), trace: trace)
        opened.withLock { $0.append(connection) }
        return connection
    }

    func permitCard(_ terminal: PermitTerminal, trace: APDUTrace?) async throws -> PermitCard {
        PermitCard(connection: try await connect(trace: trace), profile: profile, terminal: terminal)
    }

    func setFaultPlan(_ plan: FaultPlan) { link.setFaultPlan(plan) }
    var apduCount: Int { link.faults.apduCount }

    func reinsert() async throws {
        try await waitForReader(hasCard: false)
        link.insert()
        try await link.waitUntilConnected()
        try await waitUntilAnswering()
    }

    /// Closes every connection this bench made.
    func disconnectAll() async {
        for connection in opened.withLock({ opened in defer { opened = [] }; return opened }) { await connection.disconnect() }
    }

    /// Waits until pcscd lists the card and the card answers a command.
    func waitUntilAnswering(timeout: Duration = .seconds(10)) async throws {
        try await waitForReader(hasCard: true, timeout: timeout)
        try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context, timeout: timeout)
    }

    func waitForReader(hasCard: Bool, timeout: Duration = .seconds(10)) async throws {
        try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: hasCard, timeout: timeout)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A blank permit card of `profile` (card initialisation done), or one holding `state`.
func referenceCard(profile: CardProfile, serial: CardSerial, state: CardState?) throws -> EmulatedCard {
    let card = try PermitApplet.freshCard(profile: profile, serial: serial, masterKeys: Fixture.authority.masterKeys)
    if let state { try card.replaceState(state) }
    return card
}

/// Runs `body` with a blank permit card of `profile` (or one holding `state`) in an in-process reader.
func withPermitCard<T>(
    profile name: String = "zhejiang", serial: CardSerial = Fixture.serial(1), state: CardState? = nil,
    _ body: (InProcessBench) async throws -> T
) async throws -> T {
    try await withPermitCard(profile: try Fixture.profile(name), serial: serial, state: state, body)
}

/// The same with a profile value (e.g. a variant with other APDU limits).
func withPermitCard<T>(
    profile: CardProfile, serial: CardSerial = Fixture.serial(1), state: CardState? = nil,
    _ body: (InProcessBench) async throws -> T
) async throws -> T {
    let card = try referenceCard(profile: profile, serial: serial, state: state)
    return try await body(InProcessBench(profile: profile, reader: InProcessReader(card: card)))
}

/// Runs `body` with the card in a leased reader of the private pcscd: the real stack end to end.
func withPCSCCard<T>(
    profile name: String = "zhejiang", serial: CardSerial = Fixture.serial(1), state: CardState? = nil,
    _ body: (PCSCBench) async throws -> T
) async throws -> T {
    try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
        try await withPCSCCard(in: slot, profile: name, serial: serial, state: state, body)
    }
}

/// The same in a slot the caller holds (a lease, or the whole daemon for a restart).
func withPCSCCard<T>(
    in slot: SandboxSlot, profile name: String = "zhejiang", serial: CardSerial = Fixture.serial(1), state: CardState? = nil,
    _ body: (PCSCBench) async throws -> T
) async throws -> T {
    let profile = try Fixture.profile(name)
    let card = try referenceCard(profile: profile, serial: serial, state: state)
    let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
    let bench = PCSCBench(slot: slot, profile: profile, card: card, link: link, context: PCSCContext(callTimeout: .seconds(10)))
    link.start()
    do {
        try await link.waitUntilConnected()
        try await bench.waitUntilAnswering()
        let result = try await body(bench)
        await bench.disconnectAll()
        try await link.stop()
        try await bench.waitForReader(hasCard: false)
        return result
    } catch {
        await bench.disconnectAll()
        try? await link.stop()
        try? await bench.waitForReader(hasCard: false)
        throw error
    }
}

/// Issued card states, made once per profile and reused by tests that start from an issued card
/// (loading a state is what a card bureau's pre-issued stock would be).
actor IssuedCards {
    static let shared = IssuedCards()
    private var issued: [String: (state: CardState, puk: String?)] = [:]

    func state(profile: String, pin: String?) async throws -> CardState {
        try await card(profile: profile, pin: pin).state
    }

    /// The issued card's state and the holder's PUK its issuance gave (nil without a PIN).
    func card(profile: String, pin: String?) async throws -> (state: CardState, puk: String?) {
        let key = "\(profile)-\(pin ?? "none")"
        if let card = issued[key] { return card }
        let card = try await withPermitCard(profile: profile) { bench in
            let card = try await bench.permitCard(Fixture.issuingStation())
            let result = try await card.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request(pin: pin))
            return (bench.card.state, result.puk)
        }
        issued[key] = card
        return card
    }
}
