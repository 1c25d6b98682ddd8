import CardProfiles
import CardSecurity
import Lifecycle
import SmartCard
@testable import PermitCard
import Testing

/// Issue 18 item 4: key versions and rotation. Stations authenticate with the version each card reports,
/// an issuing station brings a card's keys to the profile's current version in the field (PUT KEY under
/// secure messaging), and the card never takes an older version back.
@Suite("Key versions and rotation")
struct KeyRotationTests {
    static let day = OperationTests.day

    /// Master keys by label, one set per key version, as a station's token holds them after a new version
    /// was added (`zhejiang-endorsingStation-2` beside `-1`).
    struct VersionedMasterKeys: MasterKeyStore {
        let byVersion: [Int: MasterKeySet]
        var suite: CryptoSuite { .international }
        var roles: Set<KeyRole> { Set(KeyRole.allCases) }

        func diversify(_ input: [UInt8], master: MasterKeyReference) throws(CardSecurityError) -> CardKey {
            guard let version = master.label.split(separator: "-").last.flatMap({ Int($0) }), let keys = byVersion[version] else {
                throw .keyNotHeld("\(master)")
            }
            return try keys.diversify(input, master: master)
        }
    }

    /// The zhejiang profile after the authority added key version 2 of every role, version 1 still in the field.
    static func profileAtVersion2() throws -> CardProfile {
        var profile = try Fixture.profile("zhejiang")
        for index in profile.keys.indices {
            profile.keys[index].previous = [1: profile.keys[index].master]
            profile.keys[index].version = 2
            profile.keys[index].master = "zhejiang-\(profile.keys[index].role)-2"
        }
        return profile
    }

    @Test("a card of version 1 works at stations of version 2; an issuing station rotates it (logged, issuing key last); then version 1 opens nothing and cannot be loaded back")
    func rotation() async throws {
        let profile = try Self.profileAtVersion2()
        let both = VersionedMasterKeys(byVersion: [1: Fixture.authority.masterKeys, 2: try MasterKeySet.random()])
        let authority = Fixture.authority
        let kiosk = PermitTerminal.endorsingStation(station: Fixture.kioskStation, masterKeys: both, credential: authority.kiosk, trust: authority.trustStore)
        let desk = PermitTerminal.issuingStation(
            station: Fixture.station, masterKeys: both, stationCredential: authority.issuingStation, documentSigner: authority.documentSigner,
            trust: authority.trustStore)
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPermitCard(profile: profile, state: issued) { bench in
            #expect(try await bench.permitCard(desk).inspect().fci.keyVersions == [1: 1, 2: 1, 3: 1])
            _ = try await bench.permitCard(kiosk).with(clock: .test(day: Self.day(2027, 2, 10))).endorse()

            let trace = APDUTrace()
            let rotations = try await bench.permitCard(desk, trace: trace).with(clock: .test(day: Self.day(2027, 2, 11))).rotateKeys()
            #expect(rotations.map(\.description) == [
                "card 5A4A000000000001: the endorsing station or kiosk key (number 2) from version 1 to 2",
                "card 5A4A000000000001: the reading terminal key (number 3) from version 1 to 2",
                "card 5A4A000000000001: the issuing station key (number 1) from version 1 to 2",
            ])
            #expect(trace.totals.apdus == 6, "SELECT, GENERAL and EXTERNAL AUTHENTICATE, three PUT KEY")
            #expect(trace.lines.filter { $0.hasPrefix("A>>") && $0.contains(" 8CD8") }.allSatisfy { $0.contains("****") }, "keys never reach the trace")
            #expect(try await bench.permitCard(desk).inspect().fci.keyVersions == [1: 2, 2: 2, 3: 2])
            #expect(try await bench.permitCard(desk).rotateKeys().isEmpty, "a current card is left alone")

            // The stations pick version 2 now; the field verifier reads with it.
            _ = try await bench.permitCard(kiosk).with(clock: .test(day: Self.day(2028, 2, 10))).endorse()
            var verifier = Fixture.verifier(on: Self.day(2028, 2, 11))
            verifier = PermitTerminal.verifier(masterKeys: both, trust: authority.trustStore, statusList: verifier.statusList, station: verifier.station)
            let (_, report) = try await bench.permitCard(verifier).with(clock: .test(day: Self.day(2028, 2, 11))).verify()
            #expect(report.passed, "\(report.failures)")

            // A kiosk with only the old master, or a station whose profile knows only version 1, opens nothing.
            let stale = PermitTerminal.endorsingStation(
                station: Fixture.kioskStation, masterKeys: VersionedMasterKeys(byVersion: [1: authority.masterKeys]), credential: authority.kiosk,
                trust: authority.trustStore)
            await #expect(throws: PermitCardError.self) { _ = try await bench.permitCard(stale).with(clock: .test(day: Self.day(2029, 2, 10))).endorse() }
            let oldProfile = PermitCard(connection: try bench.reader.connect(options: .init(extendedLength: true), trace: nil), profile: try Fixture.profile("zhejiang"), terminal: Fixture.kiosk)
            await #expect(throws: PermitCardError.keyVersionUnknown(role: .endorsingStation, version: 2, profile: "zhejiang")) {
                _ = try await oldProfile.with(clock: .test(day: Self.day(2029, 2, 10))).endorse()
            }

            // Version 1 cannot be loaded back, not even by an issuing station.
            let before = bench.card.state
            var session = try ApplicationSession(connection: try bench.reader.connect(options: .init(extendedLength: true), trace: nil), profile: profile)
            _ = try await session.open(.issuingStation, terminal: desk, for: "load an old key")
            let spec = try #require(profile.key(for: .endorsingStation))
            let old = try desk.cardKey(.endorsingStation, version: 1, profile: profile, serial: Fixture.serial(1), for: "load an old key")
            #expect(try await session.exchange(try session.commands.putKey(spec, version: 1, old)).statusWord.value == 0x6985)
            #expect(bench.card.state == before)
        }
    }
}
