import CardEmulator
import Foundation
import PCSCSandbox
import PermitApplet
import PermitCard
import Registry
import SmartCard
@testable import Station
import Testing

/// The station's acts through the real stack once: Swift -> libpcsclite -> a private pcscd -> vpcd -> the
/// reference card, with the registry a real SQLite file. The logic is tested in process; this shows the
/// journal, the serial binding and the read-back behave the same over PC/SC.
@Suite("Station acts through pcscd")
struct EndToEndTests {
    @Test("accept, issue, endorse, a pull after the endorsement's write, then presentation settles it")
    func throughPCSC() async throws {
        var station = try Station()
        let card = try PermitApplet.freshCard(profile: station.profile, serial: Station.serial(50), masterKeys: Station.authority.masterKeys)
        try await PCSCSandbox.shared.withSlot(holder: "StationActsTests.EndToEndTests") { slot in
            let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
            let context = PCSCContext(callTimeout: .seconds(10))
            link.start()
            defer { Task { try? await link.stop() } }
            try await link.waitUntilConnected()
            try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context)
            let options = ChannelOptions(extendedLength: station.profile.apdu.extendedLength)
            func connected() async throws -> PermitCard {
                PermitCard(connection: try await context.connect(slot.readerName, options: options), profile: station.profile,
                           terminal: Station.desk, clock: .test(day: station.day))
            }

            let application = try await station.acts().accept(Station.form(), agent: Station.officer)
            let issued = try await station.acts().issue(application: application.id!, on: try await connected(), pin: nil, agent: Station.officer)
            let permit = try #require(issued.permit)
            #expect(issued.serial == Station.serial(50).description)

            station.day = Station.day(2027, 2, 10)
            // The card is pulled right after it executed the endorsement's APPEND RECORD (the 5th APDU of the
            // write session, after the 8 of the read): the station cannot know it took it.
            link.setFaultPlan(FaultPlan(removal: .afterAPDU(13)))
            await #expect(throws: StationActError.self) {
                try await station.acts().endorse(try await connected(), pin: nil, agent: Station.officer)
            }
            #expect(try station.journal()[.pending] == 1)
            link.setFaultPlan(.none)
            link.insert()
            try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context)
            let result = await station.acts().reconcile(try await connected())
            #expect(result.findings.map(\.kind) == ["settled"], "\(result.findings)")
            #expect(result.findings.first?.sentence.contains("applied: the card shows it") == true, "\(result.findings)")
            #expect(try station.journal()[.pending] == 0)
            let onCard = try await connected().read().endorsements().count
            #expect(onCard == 1)
            #expect(try station.registry.details(permit: permit).endorsements.count == 1)
            await context.close()
        }
    }
}
