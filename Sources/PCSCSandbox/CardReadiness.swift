import SmartCard

extension PCSCSandbox {
    /// Waits until pcscd shows `reader` in a state `condition` accepts, and returns that state.
    public nonisolated func waitForReader(
        _ reader: String, in context: PCSCContext, timeout: Duration = .seconds(10),
        until condition: (ReaderStatus) -> Bool
    ) async throws -> ReaderStatus {
        var lastSeen = "no answer yet"
        let status = try await Self.poll(timeout: timeout, interval: .milliseconds(20)) { () async -> ReaderStatus? in
            do {
                guard let status = try await context.readers().first(where: { $0.name == reader }) else {
                    lastSeen = "not listed"
                    return nil
                }
                lastSeen = status.flags.names.joined(separator: ", ")
                return condition(status) ? status : nil
            } catch {
                lastSeen = "no list of readers (\(error))"
                return nil
            }
        }
        guard let status else {
            throw SandboxError.readerNotReady(reader: reader, waitedSeconds: timeout.secondsValue, lastSeen: lastSeen)
        }
        return status
    }

    /// Waits until pcscd shows `reader` with a card (`hasCard`) or empty.
    public nonisolated func waitForReader(_ reader: String, in context: PCSCContext, hasCard: Bool, timeout: Duration = .seconds(10)) async throws {
        _ = try await waitForReader(reader, in: context, timeout: timeout) { $0.hasCard == hasCard }
    }

    /// Waits until the card in `reader` answers a SELECT MF (with any status word). pcscd lists a
    /// card as soon as vpcd reports it, before its power-up is done; under load an APDU sent then
    /// fails with SCARD_E_NOT_TRANSACTED, and so can one sent right after a reinsertion.
    /// `failedAnswersCount`: any failed send but SCARD_E_NOT_TRANSACTED shows the card powered too
    /// (scripted peers whose answers are wrong on purpose).
    public nonisolated func waitUntilAnswering(
        _ reader: String, in context: PCSCContext, timeout: Duration = .seconds(10), failedAnswersCount: Bool = false
    ) async throws {
        let select = try CommandAPDU(cla: 0, ins: 0xA4, p1: 0, p2: 0x0C, data: [0x3F, 0x00])
        var lastProblem = "no attempt"
        let answered = try await Self.poll(timeout: timeout, interval: .milliseconds(25)) { () async -> Bool? in
            do {
                let connection = try await context.connect(reader)
                do {
                    _ = try await connection.send(select)
                } catch where !failedAnswersCount || (error as? PCSCError)?.code == .notTransacted {
                    await connection.disconnect()
                    throw error
                } catch {}  // a failed answer: the card is up
                await connection.disconnect()
                return true
            } catch {
                lastProblem = "\(error)"
                return nil
            }
        }
        if answered == nil {
            throw SandboxError.cardNotAnswering(reader: reader, waitedSeconds: timeout.secondsValue, lastProblem: lastProblem)
        }
    }

    /// Tries `attempt` every `interval` until it gives a value, or gives nil once `timeout` has
    /// passed. There is always one try after the limit: on a loaded machine the waiting task can
    /// sleep well past it (the test process's thread pool is busy), and a state reached meanwhile counts.
    public static func poll<T>(
        timeout: Duration, interval: Duration, isolation: isolated (any Actor)? = #isolation, _ attempt: () async throws -> T?
    ) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await attempt() { return value }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: interval)
        }
    }
}
