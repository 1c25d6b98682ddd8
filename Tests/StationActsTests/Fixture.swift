import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import InProcessCard
import PermitApplet
import PermitCard
import Registry
import SmartCard
@testable import Station
import TestPrograms

/// The station's acts as a station runs them, in this process: a real SQLite registry file in a scratch
/// directory, reference cards in in-process readers (the transport seam), one test authority and the
/// station's terminal. The clock is a test clock stopped on a day; a test moves it by taking `on(day)`.
struct Station {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let code = DigitCode.station("330102000001")!
    static let otherStation = DigitCode.station("330106000002")!
    static let authorityName = "杭州市公安局上城区分局"

    static let authority: TestAuthority = {
        let china = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        return try! TestAuthority.generate(
            notBefore: china.start(of: CalendarDate(year: 2025, month: 1, day: 1)!), notAfter: china.start(of: CalendarDate(year: 2035, month: 1, day: 1)!))
    }()

    static func profile(_ name: String = "zhejiang") throws -> CardProfile {
        try CardProfile.load(contentsOf: repository.appendingPathComponent("cardprofiles/\(name).json"))
    }

    static var desk: PermitTerminal {
        .issuingStation(station: code, masterKeys: authority.masterKeys, stationCredential: authority.issuingStation,
                        documentSigner: authority.documentSigner, trust: authority.trustStore)
    }

    /// A kiosk of another station of the same authority.
    static var otherKiosk: PermitTerminal {
        .endorsingStation(station: otherStation, masterKeys: authority.masterKeys, credential: authority.kiosk, trust: authority.trustStore)
    }

    let profile: CardProfile
    let directory: URL
    /// The station's day: the acts' clock, the cards' and the registry's.
    var day: CalendarDate

    init(profile name: String = "zhejiang", on day: CalendarDate = Station.day(2026, 3, 1)) throws {
        profile = try Self.profile(name)
        directory = ScratchDirectory.make("acts")
        self.day = day
        _ = try openRegistry()
    }

    /// The registry file, opened on the station's day (it records nothing after its today).
    var registry: Registry { try! openRegistry() }

    private func openRegistry() throws -> Registry {
        try Registry(path: directory.appendingPathComponent("registry.sqlite").path, station: Self.code.digits,
                     policies: [profile.name: profile.policy], calendar: profile.calendar(clock: .test(day: day)))
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    /// The acts on `day` (default the station's day).
    func acts(on day: CalendarDate? = nil) -> StationActs {
        var station = self
        station.day = day ?? self.day
        let registry = station.registry
        return StationActs(registry: RegistryStore { registry }, profiles: [profile.name: profile], clock: .test(day: station.day),
                    station: Self.code, authority: Self.authorityName)
    }

    /// A blank card of the profile in its own in-process reader.
    func blankCard(_ last: UInt8) throws -> InProcessReader {
        InProcessReader(card: try PermitApplet.freshCard(profile: profile, serial: Self.serial(last), masterKeys: Self.authority.masterKeys),
                        name: "Reader \(last)")
    }

    static func serial(_ last: UInt8) -> CardSerial { try! CardSerial(bytes: [0x5A, 0x4A, 0, 0, 0, 0, 0, last]) }

    /// The card in `reader` for `terminal` (the station's desk by default), over a new connection.
    func card(in reader: InProcessReader, terminal: PermitTerminal = Station.desk) throws -> PermitCard {
        PermitCard(connection: try reader.connect(options: ChannelOptions(extendedLength: profile.apdu.extendedLength)), profile: profile,
                   terminal: terminal, clock: .test(day: day))
    }

    static let photo = try! Data(contentsOf: repository.appendingPathComponent("Tests/CardFaceFixtures/photo.jpg"))

    /// An application of the test holder, registered at the address since 2025-09-01 (six months before the test day).
    static func form(citizenID: String = "110105199005171233", name: String = "张伟") -> ApplicationForm {
        ApplicationForm(
            profile: "zhejiang", name: name, latinName: "ZHANG WEI", sex: "1", citizenID: citizenID, ethnicGroup: "01",
            householdAddress: "北京市东城区景山前街4号",
            address: ResidenceAddress(district: .district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: day(2025, 9, 1)),
            grounds: .job, documents: "lease; employment contract", photo: photo)
    }

    static let officer = Agent(name: "officer 1", role: .officer)

    /// Accepts the test holder's application and issues its card in `reader`: the permit's id.
    @discardableResult
    func issued(in reader: InProcessReader, citizenID: String = "110105199005171233", name: String = "张伟") async throws -> Int64 {
        let application = try await acts().accept(Self.form(citizenID: citizenID, name: name), agent: Self.officer)
        let outcome = try await acts().issue(application: application.id!, on: try card(in: reader), pin: nil, agent: Self.officer)
        return outcome.permit!
    }

    /// What the card in `reader` holds now, read by the desk.
    func reading(of reader: InProcessReader) async throws -> CardReading {
        try await card(in: reader).read()
    }

    /// The intents by state, and the audit chain's verdict.
    func journal() throws -> [CardIntent.State: Int] { try registry.intentCounts() }
}
