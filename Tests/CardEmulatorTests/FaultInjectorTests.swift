import Testing
@testable import CardEmulator

@Suite("Fault injection decisions")
struct FaultInjectorTests {
    @Test("removal before APDU n fires once, at n")
    func removeBefore() {
        var faults = FaultInjector(plan: FaultPlan(removal: .beforeAPDU(3)))
        let decisions = (1...5).map { _ in faults.nextAPDU() }
        #expect(decisions == [.execute(thenRemove: false), .execute(thenRemove: false), .removeBeforeExecuting,
                              .execute(thenRemove: false), .execute(thenRemove: false)])
    }

    @Test("removal after APDU n executes it first")
    func removeAfter() {
        var faults = FaultInjector(plan: FaultPlan(removal: .afterAPDU(1)))
        #expect(faults.nextAPDU() == .execute(thenRemove: true))
        #expect(faults.nextAPDU() == .execute(thenRemove: false))
        #expect(faults.apduCount == 2)
    }

    @Test("a status word at APDU n once, or always")
    func forcedStatus() {
        var once = FaultInjector(plan: FaultPlan(forcedStatus: StatusWord(0x6F00), forcedStatusAt: 2))
        #expect((1...3).map { _ in once.nextAPDU() } == [.execute(thenRemove: false), .answer(StatusWord(0x6F00)), .execute(thenRemove: false)])
        var always = FaultInjector(plan: FaultPlan(forcedStatus: StatusWord(0x6A82)))
        #expect((1...3).map { _ in always.nextAPDU() } == Array(repeating: .answer(StatusWord(0x6A82)), count: 3))
    }

    @Test("a removal wins over a status word at the same APDU")
    func precedence() {
        var faults = FaultInjector(plan: FaultPlan(removal: .beforeAPDU(1), forcedStatus: StatusWord(0x6F00)))
        #expect(faults.nextAPDU() == .removeBeforeExecuting)
        #expect(faults.nextAPDU() == .answer(StatusWord(0x6F00)))
    }

    @Test("no plan: every APDU executes")
    func none() {
        var faults = FaultInjector()
        #expect((1...100).allSatisfy { _ in faults.nextAPDU() == .execute(thenRemove: false) })
    }
}

@Suite("vpcd framing")
struct FramingTests {
    @Test("frames split at every byte boundary are reassembled")
    func partialReads() {
        let payloads: [[UInt8]] = [[0x01], [0x04], Hex.decode("00A4000C023F00")!, Array(repeating: 0x55, count: 70_000 % 65536), []]
        let stream = payloads.flatMap(VPCDFrameDecoder.encode)
        for chunk in [1, 2, 3, 7, 4096, stream.count] {
            var decoder = VPCDFrameDecoder()
            var received: [[UInt8]] = []
            for start in stride(from: 0, to: stream.count, by: chunk) {
                decoder.append(stream[start..<min(start + chunk, stream.count)])
                while let payload = decoder.nextPayload() { received.append(payload) }
            }
            #expect(received == payloads, "chunks of \(chunk) bytes")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test("an incomplete frame waits for more bytes")
    func incomplete() {
        var decoder = VPCDFrameDecoder()
        decoder.append([0x00, 0x05, 0x00, 0xA4])
        #expect(decoder.nextPayload() == nil)
        #expect(decoder.bufferedByteCount == 4)
        decoder.append([0x00, 0x0C, 0x00])
        #expect(decoder.nextPayload() == [0x00, 0xA4, 0x00, 0x0C, 0x00])
    }

    @Test("control codes and APDUs", arguments: [
        ([0x00], VPCDMessage.powerOff), ([0x01], .powerOn), ([0x02], .reset), ([0x04], .getATR),
        ([0x03], .unknownControl(0x03)), ([0x00, 0xA4, 0x00, 0x0C], .apdu([0x00, 0xA4, 0x00, 0x0C])),
    ] as [([UInt8], VPCDMessage)])
    func messages(payload: [UInt8], message: VPCDMessage) {
        #expect(VPCDMessage(payload: payload) == message)
    }

    @Test("the length is big-endian")
    func encode() {
        #expect(VPCDFrameDecoder.encode(Array(repeating: 0, count: 0x0102)).prefix(2) == [0x01, 0x02])
    }
}
