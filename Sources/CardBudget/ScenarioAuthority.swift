import CardSecurity
import Foundation
import Lifecycle
import PermitCard

/// What the scenarios act with: one test authority, a terminal of each role, and the holder and address
/// they issue. Generated in memory: the budget and the benchmark need keys, not a station's tokens.
public struct ScenarioAuthority: Sendable {
    public let authority: TestAuthority
    /// An issuing station carrying an empty signed status list.
    public let desk: PermitTerminal
    /// A self-service kiosk: the endorsing key and the kiosk's certificate only.
    public let kiosk: PermitTerminal
    /// A field verifier with the reading key, the trust bundle and the status list.
    public let verifier: PermitTerminal

    public static let station = DigitCode.station("330102000001")!

    public static let holder = HolderIdentity(
        name: "张伟", latinName: "ZHANG WEI", sex: "1", birthDate: CalendarDate(year: 1990, month: 5, day: 17)!, ethnicGroup: "01",
        citizenID: try! CitizenID("110105199005171233"), householdAddress: "北京市东城区景山前街4号", permitNumber: "330102202600001",
        issuingAuthority: "杭州市公安局上城区分局", authorityStation: station)

    public static let address = ResidenceAddress(
        district: .district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: CalendarDate(year: 2025, month: 9, day: 1)!)

    /// A test clock stopped on `year-month-day`: each step of a scenario acts on its own day.
    public static func on(_ year: Int, _ month: Int, _ day: Int) -> StationClock {
        .test(day: CalendarDate(year: year, month: month, day: day)!)
    }

    /// A field verifier carrying an empty status list the authority signed on `day`, so fresh that day.
    public func verifier(on day: CalendarDate) throws -> PermitTerminal {
        let list = try SignedStatusList.sign(
            try StatusList(suite: .international, issuedOn: day, sequence: 2, entries: []), signer: authority.statusListSigner)
        return .verifier(masterKeys: authority.masterKeys, trust: authority.trustStore, statusList: list, station: Self.station)
    }

    public static func generate() throws -> ScenarioAuthority {
        let china = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let authority = try TestAuthority.generate(
            notBefore: china.start(of: CalendarDate(year: 2025, month: 1, day: 1)!), notAfter: china.start(of: CalendarDate(year: 2035, month: 1, day: 1)!))
        let list = try SignedStatusList.sign(
            try StatusList(suite: .international, issuedOn: CalendarDate(year: 2026, month: 3, day: 1)!, sequence: 1, entries: []),
            signer: authority.statusListSigner)
        return ScenarioAuthority(
            authority: authority,
            desk: .issuingStation(
                station: station, masterKeys: authority.masterKeys, stationCredential: authority.issuingStation,
                documentSigner: authority.documentSigner, trust: authority.trustStore, statusList: list),
            kiosk: .endorsingStation(station: station, masterKeys: authority.masterKeys, credential: authority.kiosk, trust: authority.trustStore),
            verifier: .verifier(masterKeys: authority.masterKeys, trust: authority.trustStore, statusList: list, station: station))
    }
}
