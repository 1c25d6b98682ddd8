import PCSCSandbox
import SmartCard
import Testing

/// Every error path ends in a clear error naming the reader and the step, never a hang.
@Suite("Faults through a private pcscd")
struct FaultTests {
    @Test("a card pulled before or after an APDU is a PC/SC error for that reader", arguments: [true, false])
    func cardVanishes(beforeExecuting: Bool) async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            bench.injectFaults(removal: beforeExecuting ? .beforeAPDU(1) : .afterAPDU(1))
            // vpcd answers an empty response when the card goes mid-APDU; pcscd reports later ones.
            let error = await #expect(throws: (any Error).self) { try await connection.send(selectMF) }
            switch error {
            case let error as SmartCardError:
                #expect(error == .malformedResponse(reader: bench.reader, step: .transmit, problem: .responseTooShort(count: 0)))
            case let error as PCSCError:
                #expect(error.reader == bench.reader && error.step == .transmit)
            default:
                Issue.record("unexpected error \(String(describing: error))")
            }
            // Still removed: the next command fails as clearly, it does not reach another card.
            let again = await #expect(throws: PCSCError.self) { try await connection.send(selectMF) }
            #expect(again?.reader == bench.reader)
            #expect([.removedCard, .notTransacted, .noSmartcard, .resetCard].contains(again?.code))
            try await PCSCSandbox.shared.waitForReader(bench.reader, in: bench.context, hasCard: false)
            try await bench.insert()
            let fresh = try await bench.connect()
            #expect(try await fresh.send(selectMF).statusWord == .success)
            await fresh.disconnect()
        }
    }

    @Test("a card slower than the call limit gives a timeout naming the reader")
    func slowCard() async throws {
        try await withReferenceCard(callTimeout: .seconds(1)) { bench in
            let connection = try await bench.connect()
            bench.injectFaults(latency: .seconds(3))
            await #expect(throws: SmartCardError.timedOut(step: .transmit, reader: bench.reader, seconds: 1)) {
                try await connection.send(selectMF)
            }
            bench.injectFaults()
        }
    }

    @Test("an unknown reader name lists the readers there are")
    func unknownReader() async throws {
        try await withReferenceCard { bench in
            let error = await #expect(throws: SmartCardError.self) { try await bench.context.connect("No Such Reader 00 00") }
            guard case .unknownReader(let name, let available)? = error else {
                Issue.record("expected unknownReader, got \(String(describing: error))")
                return
            }
            #expect(name == "No Such Reader 00 00")
            #expect(available.contains(bench.reader))
            await #expect(throws: SmartCardError.self) { try await bench.context.reader(matching: "no such") }
        }
    }

    @Test("odd answers from a raw vpcd peer", arguments: [
        ([UInt8]([0x90]), "short"), ([0xDE, 0xAD, 0xBE, 0xEF, 0x12], "garbage"), ([0x61, 0x01, 0x00], "endless"),
    ])
    func oddAnswers(answer: [UInt8], kind: String) async throws {
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let context = PCSCContext(callTimeout: .seconds(5))
            let peer = RawVPCDCard(port: slot.port) { _ in kind == "endless" ? [0x00, 0x61, 0x01] : answer }
            try peer.start()
            defer { peer.stop() }
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true)
            try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context, failedAnswersCount: true)
            let connection = try await context.connect(slot.readerName, options: ChannelOptions(maxResponseRounds: 16))
            switch kind {
            case "short":
                let error = await #expect(throws: (any Error).self) { try await connection.send(selectMF) }
                let text = "\(error.map { "\($0)" } ?? "")"
                #expect(text.contains(slot.readerName))
                #expect(text.contains("status bytes") || text.contains("SCARD_"))
            case "garbage":
                let response = try await connection.send(selectMF)
                #expect(response.data == [0xDE, 0xAD, 0xBE])
                #expect(response.statusWord.meaning == "unknown status word")
            default:
                await #expect(throws: SmartCardError.endlessResponse(reader: slot.readerName, rounds: 16)) {
                    try await connection.send(selectMF)
                }
            }
            await connection.disconnect()
            peer.stop()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
        }
    }
}
