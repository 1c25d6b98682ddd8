import ArgumentParser
import Foundation
import SmartCard

/// `permit readers`: the readers pcscd knows, whether a card is in each and its ATR;
/// with `--watch`, reader and card events as they happen.
struct ReadersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readers",
        abstract: "List card readers, their cards and ATRs; --watch prints reader and card events as they happen.",
        discussion: "Uses the pcscd at PCSCLITE_CSOCK_NAME (the system one by default). Events are described in docs/SMARTCARD.md.")

    @Flag(help: "Keep watching and print each event (reader added/removed, card inserted/removed/swapped, pcscd lost/back).")
    var watch = false
    @Option(help: "With --watch: stop after this many events.")
    var limit: Int?
    @Flag(help: "Print JSON: one object for the list, one object per line for events.")
    var json = false

    func validate() throws {
        if limit != nil && !watch { throw ValidationError("--limit only applies with --watch") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let context = PCSCContext()
        // Contexts are closed before returning: libpcsclite must be idle when the process exits.
        guard watch else {
            let readers: [ReaderStatus]
            do {
                readers = try await context.readers()
            } catch {
                await context.close()
                throw error
            }
            await context.close()
            print(json ? ReadersOutput.json(readers) : ReadersOutput.table(readers))
            return
        }
        var events = context.events().makeAsyncIterator()
        var seen = 0
        do {
            while let event = try await events.next() {
                // Written straight away, not buffered: a watcher wants each event as it happens.
                FileHandle.standardOutput.write(Data(((json ? ReadersOutput.json(event) : event.description) + "\n").utf8))
                seen += 1
                if let limit, seen >= limit { break }
            }
        } catch {
            await events.close()
            throw error
        }
        await events.close()
    }
}
