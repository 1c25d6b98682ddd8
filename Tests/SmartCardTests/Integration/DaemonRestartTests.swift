import PCSCSandbox
import SmartCard
import Testing

/// pcscd stopped and started under a running session: the exclusive lease keeps other tests
/// off the daemon meanwhile.
@Suite("pcscd going away and coming back")
struct DaemonRestartTests {
    @Test("context, watch and connection survive pcscd killed and restarted", arguments: [true, false])
    func restart(crash: Bool) async throws {
        let sandbox = PCSCSandbox.shared
        try await sandbox.withExclusiveDaemon { slots in
            try await withReferenceCard(in: slots[0], callTimeout: .seconds(5)) { bench in
                let connection = try await bench.connect()
                #expect(try await connection.send(selectMF).statusWord == .success)
                var event: ReaderEvent
                var events = bench.context.events(waitSlice: .milliseconds(200), retryInterval: .milliseconds(100)).makeAsyncIterator()
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .readerAdded(bench.reader))
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .cardInserted(reader: bench.reader, atr: bench.card.atr.bytes))

                await sandbox.stopDaemon(crash: crash)

                // pcscd not running: clear errors, no hang.
                let listing = await #expect(throws: PCSCError.self) { try await bench.context.readers() }
                #expect(listing?.code == .noService)
                #expect(listing?.description.contains("pcscd is not running") == true)
                let sending = await #expect(throws: PCSCError.self) { try await connection.send(selectMF) }
                #expect(sending?.meansServiceLost == true)
                #expect(sending?.reader == bench.reader)
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .serviceLost)
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .cardRemoved(reader: bench.reader))
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .readerRemoved(bench.reader))

                try await sandbox.startDaemon()
                try await bench.link.waitUntilConnected()
                try await PCSCSandbox.shared.waitForReader(bench.reader, in: bench.context, hasCard: true)
                try await sandbox.waitUntilAnswering(bench.reader, in: bench.context)

                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .serviceRestored)
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .readerAdded(bench.reader))
                event = try await nextEvent(&events, for: bench.reader)
                #expect(event == .cardInserted(reader: bench.reader, atr: bench.card.atr.bytes))
                // The same connection object reconnects by itself.
                #expect(try await connection.send(selectMF).statusWord == .success)
                #expect(try await bench.context.readerNames().contains(bench.reader))
                await connection.disconnect()
            }
        }
    }
}
