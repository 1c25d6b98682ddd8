import SmartCard

extension PCSCSandbox {
    /// Waits until the card in `reader` answers a SELECT MF (with any status word). pcscd lists a
    /// card as soon as vpcd reports it, before its power-up is done; under load an APDU sent then
    /// fails with SCARD_E_NOT_TRANSACTED, and so can one sent right after a reinsertion.
    public nonisolated func waitUntilAnswering(_ reader: String, in context: PCSCContext, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        let select = try CommandAPDU(cla: 0, ins: 0xA4, p1: 0, p2: 0x0C, data: [0x3F, 0x00])
        var lastProblem = "no attempt"
        while ContinuousClock.now < deadline {
            do {
                let connection = try await context.connect(reader)
                do {
                    _ = try await connection.send(select)
                } catch {
                    await connection.disconnect()
                    throw error
                }
                await connection.disconnect()
                return
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw SandboxError.cardNotAnswering(reader: reader, waitedSeconds: timeout.secondsValue, lastProblem: lastProblem)
    }
}
