import CardEmulator
import CardSecurity
import Foundation
import ISO7816
import InProcessCard
import PermitCard
import Registry
@testable import Station
import Synchronization
import Testing

/// The intent journal (issue 10 item 2) against the emulator's fault plan: the card pulled before and after
/// every APDU of an act. Whatever the act answered, once the card is presented again (and its pending intent
/// settled) the card and the registry agree, and the act is on both once or on neither.
@Suite("Intent journal")
struct JournalTests {
    /// Endorse with the card pulled before, then after, APDU n, for every n the act sends; then put it back
    /// and present it.
    @Test("endorse: a pull before or after any APDU loses nothing and doubles nothing")
    func endorseUnderPulls() async throws {
        let apdus = try await Self.apduCount { station, reader in
            _ = try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
        }
        #expect(apdus > 10, "an endorsement reads, writes and reads back")
        var settled: [CardIntent.State: Int] = [:]
        var endorsed = Set<Int>()
        for n in 1...apdus {
            for removal in [FaultPlan.Removal.beforeAPDU(n), .afterAPDU(n)] {
                let journal = try await Self.pulled(removal) { station, reader in
                    _ = try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
                } check: { station, reader, permit in
                    let onCard = try await station.reading(of: reader).endorsements().count
                    let recorded = try station.registry.details(permit: permit).endorsements.count
                    #expect(onCard == recorded, "\(removal): card \(onCard), registry \(recorded)")
                    #expect(onCard <= 1, "\(removal): endorsed twice")
                    endorsed.insert(onCard)
                }
                settled.merge(journal) { $0 + $1 }
            }
        }
        // Every path was taken: pulls before the intent (nothing done), pulls after the write (applied on
        // presentation) and pulls before it (redone on presentation).
        #expect(endorsed == [0, 1])
        #expect(settled[.redone, default: 0] > 0)
        #expect(settled[.applied, default: 0] > apdus, "the issuance's intents, and endorsements applied")
    }

    @Test("cancel: a pull before or after any APDU loses nothing and doubles nothing")
    func cancelUnderPulls() async throws {
        let apdus = try await Self.apduCount { station, reader in
            _ = try await station.acts().cancel(try station.card(in: reader), reason: .falseDocuments, decidedBy: "Officer Li", agent: Station.officer)
        }
        for n in 1...apdus {
            for removal in [FaultPlan.Removal.beforeAPDU(n), .afterAPDU(n)] {
                try await Self.pulled(removal) { station, reader in
                    _ = try await station.acts().cancel(try station.card(in: reader), reason: .falseDocuments, decidedBy: "Officer Li", agent: Station.officer)
                } check: { station, reader, permit in
                    let onCard = try await station.reading(of: reader).newestStatus()?.change == .cancelled(.falseDocuments)
                    let recorded = try station.registry.permit(id: permit)?.status == .cancelled
                    #expect(onCard == recorded, "\(removal): card \(onCard), registry \(recorded)")
                }
            }
        }
    }

    @Test("a card swapped between the read and the write: the other card is never written, the intent is abandoned")
    func swapped() async throws {
        var station = try Station()
        let first = try station.blankCard(40)
        let second = try station.blankCard(41)
        let permit = try await station.issued(in: first)
        try await station.issued(in: second, citizenID: "110105198503070027", name: "李娜")
        station.day = Station.day(2027, 2, 10)
        let before = try await station.reading(of: second)
        let swap = SwappingConnection(first: try station.card(in: first).connection, then: try station.card(in: second).connection)
        let card = PermitCard(connection: swap, profile: station.profile, terminal: Station.desk, clock: .test(day: station.day))
        let error = await #expect(throws: StationActError.self) {
            try await station.acts().endorse(card, pin: nil, agent: Station.officer) { step in
                if step == .checking { swap.swap() }
            }
        }
        #expect(error?.kind == .conflict)
        #expect(error?.description.contains("swapped") == true)
        #expect(CardSnapshot(try await station.reading(of: second)).shows(CardSnapshot(before)))
        #expect(try await station.reading(of: first).endorsements().isEmpty)
        #expect(try station.registry.details(permit: permit).endorsements.isEmpty)
        #expect(try station.journal()[.abandoned] == 1)
        #expect(try station.journal()[.pending] == 0)
    }

    @Test("a second act on a permit with a pending intent is refused as a conflict, and nothing is written")
    func concurrentActsConflict() async throws {
        var station = try Station()
        let reader = try station.blankCard(42)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2027, 2, 10)
        _ = try station.registry.openIntent(NewIntent(cardSerial: "5A4A0000000000FF", permitId: permit, applicationId: nil, act: "endorse",
                                                      parameters: "{}", before: "{}", expected: "{}", openedOn: station.day), actor: "officer 2")
        let error = await #expect(throws: StationActError.self) {
            try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
        }
        #expect(error?.kind == .conflict)
        #expect(try await station.reading(of: reader).endorsements().isEmpty)
    }

    // MARK: Helpers

    /// How many APDUs `act` sends to an issued card on the test's endorsement day, without faults.
    static func apduCount(_ act: (Station, InProcessReader) async throws -> Void) async throws -> Int {
        var station = try Station()
        let reader = try station.blankCard(30)
        try await station.issued(in: reader)
        station.day = Station.day(2027, 2, 10)
        reader.setFaultPlan(.none)
        try await act(station, reader)
        return reader.faults.apduCount
    }

    /// Runs `act` with the card pulled at `removal`, puts it back, presents it (settling what is pending), and checks.
    @discardableResult
    static func pulled(
        _ removal: FaultPlan.Removal, act: (Station, InProcessReader) async throws -> Void,
        check: (Station, InProcessReader, Int64) async throws -> Void
    ) async throws -> [CardIntent.State: Int] {
        var station = try Station()
        let reader = try station.blankCard(30)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2027, 2, 10)
        reader.setFaultPlan(FaultPlan(removal: removal))
        do { try await act(station, reader) } catch {}
        reader.setFaultPlan(.none)
        reader.insert()
        let result = await station.acts().reconcile(try station.card(in: reader))
        #expect(!result.findings.contains { $0.kind == "alert" }, "\(removal): \(result.findings)")
        #expect(try station.journal()[.pending] == 0, "\(removal): an intent is still pending")
        try await check(station, reader, permit)
        #expect(try station.registry.verifyAudit().problems.isEmpty)
        return try station.journal()
    }
}

/// A connection to one card that, once told, sends every later command to another card: a card swapped in
/// the reader between two sessions.
final class SwappingConnection: APDUConnection, Sendable {
    let first: any APDUConnection
    let then: any APDUConnection
    private let swapped = Mutex(false)

    init(first: any APDUConnection, then: any APDUConnection) {
        self.first = first
        self.then = then
    }

    func swap() { swapped.withLock { $0 = true } }
    private var current: any APDUConnection { swapped.withLock { $0 } ? then : first }

    func send(_ command: CommandAPDU) async throws -> ResponseAPDU { try await current.send(command) }
    var atr: [UInt8] { get async throws { try await current.atr } }
    func withTransaction<T>(_ body: () async throws -> T) async throws -> T { try await current.withTransaction(body) }
    func disconnect() async { await current.disconnect() }
}
