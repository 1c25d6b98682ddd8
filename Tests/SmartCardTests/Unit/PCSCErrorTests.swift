import Testing
@testable import SmartCard

@Suite("PC/SC error mapping")
struct PCSCErrorTests {
    @Test("every SCARD code has its own value, C name and meaning")
    func table() {
        let table = PCSCError.Code.table
        #expect(Set(table.map(\.1)).count == table.count)
        #expect(Set(table.map(\.2)).count == table.count)
        for (code, raw, name, meaning) in table {
            #expect(PCSCError.Code(rawValue: raw) == code)
            #expect(code.rawValue == raw)
            #expect(code.name == name && name.hasPrefix("SCARD_"))
            #expect(!meaning.isEmpty)
        }
    }

    @Test("the description names the reader, the step, the code and what to do")
    func description() {
        let error = PCSCError(returnValue: 0x8010_0069, reader: "Desk Reader 00 00", step: .transmit)!
        #expect(error.code == .removedCard)
        #expect(error.description == "Reader 'Desk Reader 00 00': sending an APDU failed: the card was removed"
            + " (SCARD_W_REMOVED_CARD 0x80100069). Insert the card and hold it still until the operation ends.")
    }

    @Test("success is no error; unknown codes are kept")
    func edges() {
        #expect(PCSCError(returnValue: 0, reader: nil, step: .connect) == nil)
        let odd = PCSCError(returnValue: 0x8010_00FE, reader: nil, step: .connect)!
        #expect(odd.code == .unrecognised(0x8010_00FE))
        #expect(odd.description.contains("0x801000FE"))
    }

    @Test("service loss is recognised so the context can be re-established", arguments: [
        (PCSCError.Code.noService, true), (.serviceStopped, true), (.invalidHandle, true),
        (.removedCard, false), (.resetCard, false), (.timeout, false),
    ])
    func serviceLoss(code: PCSCError.Code, lost: Bool) {
        #expect(PCSCError(code: code, reader: nil, step: .listReaders).meansServiceLost == lost)
    }
}
