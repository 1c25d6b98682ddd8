import PCSCSandbox
import Testing

/// `PCSCSandbox.poll`, under every wait for pcscd, a reader or a card.
@Suite("Polling until a state is reached")
struct PollTests {
    @Test("a wait that slept past its limit still looks once more, and a state reached meanwhile counts")
    func looksOnceAfterTheLimit() async throws {
        var tries = 0
        // The first look fails; the sleep (50 ms) outlasts the limit (1 ms), as a starved test's sleep does.
        let value = try await PCSCSandbox.poll(timeout: .milliseconds(1), interval: .milliseconds(50)) { () async -> String? in
            tries += 1
            return tries == 2 ? "reached" : nil
        }
        #expect(value == "reached")
        #expect(tries == 2)
    }

    @Test("a state never reached gives nil once the limit has passed")
    func givesUpAfterTheLimit() async throws {
        let start = ContinuousClock.now
        var tries = 0
        let value = try await PCSCSandbox.poll(timeout: .milliseconds(100), interval: .milliseconds(10)) { () async -> Int? in
            tries += 1
            return nil
        }
        #expect(value == nil)
        #expect(ContinuousClock.now - start >= .milliseconds(100))
        #expect(tries >= 2)
    }
}
