import CardEmulator
import CardProfiles
import CardSecurity
import Lifecycle
import PermitCard
import SmartCard
import Testing

/// What card protocol v2 adds on the host's side (CARD-SPEC §2, §6, CARD-SECURITY §2, §7), in process.
@Suite("Protocol v2: order by status sequence, suite pinned, nothing without a session")
struct ProtocolV2Tests {
    static let day = OperationTests.day

    /// A card whose EF.STATUS was set back to its first record after later writes: as if a forger with a
    /// memory dump rolled the status back, or a card had lost its last status write.
    @Test("a status record older than a record written after it fails the status check: records are ordered by status sequence")
    func staleStatusRecord() async throws {
        try await OperationTests.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let first = try #require(bench.card.state.contents(of: 5, aid: bench.profile.card.aid))
            _ = try await desk.with(clock: .test(day: Self.day(2026, 5, 1))).suspend()
            _ = try await desk.with(clock: .test(day: Self.day(2026, 5, 2))).restore()
            var moved = Fixture.address
            moved.text = "浙江省杭州市西湖区文三路1号"
            let residence = try await desk.with(clock: .test(day: Self.day(2026, 5, 3))).changeAddress(to: moved)
            #expect(residence.statusSequence == 3, "the address change is bound to the status it was written at")
            let (_, genuine) = try await OperationTests.verify(bench, on: Self.day(2026, 6, 1))
            #expect(genuine.passed, "\(genuine.failures)")

            try bench.card.replaceState(try bench.card.state.editing(file: 5, aid: bench.profile.card.aid) { $0 = first })
            let (reading, report) = try await OperationTests.verify(bench, on: Self.day(2026, 6, 1))
            #expect(try reading.newestStatus()?.sequence == 1)
            let reason = try #require(report.failures.first { $0.check == .status }?.reason)
            #expect(reason.contains("residence record 2 was written at status sequence 3, after the status record shown (1)"), "\(reason)")
            #expect(report.failures.map(\.check) == [.status])
        }
    }

    @Test("a card personalised for another suite than the profile pins is refused at SELECT, before any key is used")
    func suitePinned() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let national = try issued.editing(file: 1, aid: try Fixture.profile("zhejiang").card.aid) { content in
            guard case .transparent(var data) = content else { return }
            data[9] = CryptoSuite.national.identifier
            content = .transparent(data: data)
        }
        try await withPermitCard(state: national) { bench in
            let trace = APDUTrace()
            let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day(2026, 6, 1)), trace: trace)
            await #expect(throws: PermitCardError.suiteMismatch(card: .national, profile: "zhejiang", pinned: .international)) {
                _ = try await verifier.with(clock: .test(day: Self.day(2026, 6, 1))).verify()
            }
            #expect(trace.lines.filter { $0.hasPrefix("A>>") }.count == 1, "only SELECT was sent")
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            await #expect(throws: PermitCardError.suiteMismatch(card: .national, profile: "zhejiang", pinned: .international)) {
                _ = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
            }
            #expect(bench.card.state == before)
        }
    }

    @Test("a replayed FCI gives no status: the status needs chip authentication, which a recording cannot do")
    func statusNeedsASession() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let recorded = try await withPermitCard(state: issued) { bench in
            let trace = APDUTrace()
            let verifier = try await bench.permitCard(Fixture.verifier(statusList: nil), trace: trace)
            let status = try await verifier.status()
            #expect(status.status.recorded == .inForce && status.status.newest?.sequence == 1)
            return try #require(TraceReplay(text: trace.text).exchanges.first?.response)
        }
        // A stand-in that answers SELECT with the genuine card's recorded FCI, and nothing else.
        let replay = ReplayingConnection(atr: try Fixture.profile("zhejiang").card.atr, fci: recorded.compactMap { $0 })
        let card = PermitCard(connection: replay, profile: try Fixture.profile("zhejiang"), terminal: Fixture.verifier(statusList: nil))
        #expect(try await card.inspect().phase == .issued, "the FCI alone says only that the card was issued")
        await #expect(throws: PermitCardError.self) { _ = try await card.status() }
        do {
            _ = try await card.status()
        } catch {
            guard case .copiedCard = error else { Issue.record("expected the chip's failure, got \(error)"); return }
        }
    }
}

/// A connection that answers SELECT with a recorded FCI and every other command with `6D 00`: a
/// replay of a genuine card's FCI, without the chip.
struct ReplayingConnection: APDUConnection {
    let atrBytes: [UInt8]
    let fci: [UInt8]

    init(atr: [UInt8], fci: [UInt8]) {
        atrBytes = atr
        self.fci = fci
    }

    var atr: [UInt8] { get async throws { atrBytes } }

    func send(_ command: SmartCard.CommandAPDU) async throws -> ResponseAPDU {
        if command.ins == 0xA4 { return try ResponseAPDU(bytes: fci) }
        return try ResponseAPDU(bytes: [0x6D, 0x00])
    }

    func withTransaction<T>(_ body: () async throws -> T) async throws -> T { try await body() }

    func disconnect() async {}
}
