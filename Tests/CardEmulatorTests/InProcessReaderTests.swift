import CardEmulator
import InProcessCard
import SmartCard
import Testing

/// The in-process reader applies the fault plan as the vpcd link does, and behaves like a PC/SC reader
/// towards its connections: a pulled card fails every connection made before the pull.
@Suite("In-process reader")
struct InProcessReaderTests {
    static let writeHello = try! CommandAPDU(bytes: Hex.decode("00D68100" + "05" + "48656C6C6F")!)
    static let readHello = try! CommandAPDU(bytes: Hex.decode("00B0810005")!)

    @Test("a command answers as the card does, the exchange is traced, and a closed connection refuses more")
    func exchange() async throws {
        let reader = InProcessReader(card: demoCard())
        let trace = APDUTrace()
        let connection = try reader.connect(options: ChannelOptions(extendedLength: false), trace: trace)
        #expect(try await connection.atr == reader.card.atr.bytes)
        #expect(try await connection.send(Self.writeHello).statusWord == .success)
        #expect(try await connection.send(Self.readHello).data == Array("Hello".utf8))
        #expect(trace.totals.apdus == 2)
        #expect(trace.lines.first == "# reader: In-process reader")
        await connection.disconnect()
        await #expect(throws: SmartCardError.connectionClosed(reader: reader.name)) { try await connection.send(Self.readHello) }
    }

    @Test("pulled before APDU n: not executed; after APDU n: executed, unanswered; either way the connection is dead")
    func removals() async throws {
        for (removal, written) in [(FaultPlan.Removal.beforeAPDU(1), false), (.afterAPDU(1), true)] {
            let reader = InProcessReader(card: demoCard())
            let connection = try reader.connect()
            reader.setFaultPlan(FaultPlan(removal: removal))
            await #expect(throws: InProcessCardError.cardRemoved(reader: reader.name, why: removal == .beforeAPDU(1)
                ? "fault injected before APDU 1" : "fault injected after APDU 1, before its answer")) {
                try await connection.send(Self.writeHello)
            }
            #expect(!reader.hasCard)
            #expect(throws: InProcessCardError.noCard(reader: reader.name)) { try reader.connect() }
            reader.insert()
            await #expect(throws: InProcessCardError.cardRemoved(reader: reader.name, why: "removed and put back since this connection was made")) {
                try await connection.send(Self.readHello)
            }
            let again = try reader.connect()
            #expect(try await again.send(Self.readHello).data == (written ? Array("Hello".utf8) : [0, 0, 0, 0, 0]), "\(removal)")
        }
    }

    @Test("a forced status word answers instead of the card, once at APDU n; the card comes back by itself after reinsertAfter")
    func forcedStatusAndReinsertion() async throws {
        let reader = InProcessReader(card: demoCard())
        let connection = try reader.connect()
        reader.setFaultPlan(FaultPlan(forcedStatus: StatusWord(0x6F00), forcedStatusAt: 2))
        #expect(try await connection.send(Self.writeHello).statusWord == .success)
        #expect(try await connection.send(Self.readHello).statusWord.value == 0x6F00)
        #expect(try await connection.send(Self.readHello).data == Array("Hello".utf8))
        #expect(reader.faults.apduCount == 3)

        reader.setFaultPlan(FaultPlan(removal: .beforeAPDU(1), reinsertAfter: .milliseconds(1)))
        await #expect(throws: InProcessCardError.cardRemoved(reader: reader.name, why: "fault injected before APDU 1")) {
            try await connection.send(Self.readHello)
        }
        try await Task.sleep(for: .milliseconds(20))
        #expect(reader.hasCard)
        let unselected = try CommandAPDU(bytes: Hex.decode("00B0000005")!)
        #expect(try await reader.connect().send(unselected).statusWord.value == 0x6986, "power-on forgot the selection")
    }
}
