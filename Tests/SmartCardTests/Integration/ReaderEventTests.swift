import PCSCSandbox
import SmartCard
import Testing

@Suite("Reader and card events through a private pcscd")
struct ReaderEventTests {
    @Test("a watch announces the card, then its removal, insertion and a swap seen late")
    func insertRemoveSwap() async throws {
        try await withReferenceCard { bench in
            let atr = bench.card.atr.bytes
            var events = bench.context.events(waitSlice: .milliseconds(200)).makeAsyncIterator()
            var event = try await nextEvent(&events, for: bench.reader)
            #expect(event == .readerAdded(bench.reader))
            event = try await nextEvent(&events, for: bench.reader)
            #expect(event == .cardInserted(reader: bench.reader, atr: atr))

            bench.link.remove()
            event = try await nextEvent(&events, for: bench.reader)
            #expect(event == .cardRemoved(reader: bench.reader))
            bench.link.insert()
            event = try await nextEvent(&events, for: bench.reader)
            #expect(event == .cardInserted(reader: bench.reader, atr: atr))

            // Out and in again while the consumer is busy: the next look sees a swap.
            let before = try await PCSCSandbox.shared.waitForReader(bench.reader, in: bench.context) { $0.hasCard }
            try await bench.remove()
            try await bench.insert()
            _ = try await PCSCSandbox.shared.waitForReader(bench.reader, in: bench.context) { $0.hasCard && $0.eventCount != before.eventCount }
            event = try await nextEvent(&events, for: bench.reader)
            #expect(event == .cardSwapped(reader: bench.reader, atr: atr))
        }
    }

    @Test("cancelling the consuming task ends the watch")
    func cancellation() async throws {
        // A lease, although no card is used: it keeps pcscd from being restarted by another test meanwhile.
        let seen = try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { _ in
            let context = PCSCContext()
            let watch = Task {
                var count = 0
                for try await _ in context.events(waitSlice: .milliseconds(100)) { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(300))
            watch.cancel()
            return try await watch.value
        }
        #expect(seen >= 1)  // at least the sandbox's readers were announced before the end
    }
}
