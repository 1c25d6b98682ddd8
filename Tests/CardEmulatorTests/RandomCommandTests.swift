import Testing
@testable import CardEmulator
import SeededRandom

/// Random commands (deterministic seeds) against the demo card: every one gets a well-formed answer,
/// and the file system keeps its layout whatever is sent.
@Suite("Random commands")
struct RandomCommandTests {

    static let classes: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x0C, 0x80, 0xFF, 0x01]

    static func bytes(_ count: Int, _ rng: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Mostly plausible commands for the demo card's files (so many succeed and write), some mutated,
    /// some pure noise.
    static func randomCommand(_ rng: inout SeededGenerator) -> [UInt8] {
        let choice = Int.random(in: 0..<12, using: &rng)
        let sfi = UInt8.random(in: 0...6, using: &rng)
        let record = UInt8.random(in: 0...6, using: &rng)
        var command: CommandAPDU
        switch choice {
        case 0:
            let fids: [[UInt8]] = [[0x3F, 0x00], [0x2F, 0x01], [0x2F, 0x02], [0x2F, 0x03], [0x2F, 0x04], [0xDF, 0x01], [0x01, 0x01], [0xDF, 0x01, 0x01, 0x02]]
            command = CommandAPDU(cla: 0, ins: 0xA4, p1: [0, 1, 2, 3, 4, 8, 9].randomElement(using: &rng)!,
                                  p2: [0x00, 0x04, 0x0C, 0x02].randomElement(using: &rng)!,
                                  data: fids.randomElement(using: &rng)!, ne: Int.random(in: 0...1, using: &rng) * 256, isExtended: false)
        case 1: command = CommandAPDU(cla: 0, ins: 0xB0, p1: 0x80 | sfi, p2: UInt8.random(in: 0...255, using: &rng), ne: Int.random(in: 0...300, using: &rng), isExtended: false)
        case 2: command = CommandAPDU(cla: 0, ins: 0xD6, p1: 0x80 | sfi, p2: UInt8.random(in: 0...255, using: &rng), data: bytes(Int.random(in: 1...300, using: &rng), &rng), isExtended: false)
        case 3: command = CommandAPDU(cla: 0, ins: 0xB2, p1: record, p2: sfi << 3 | UInt8.random(in: 0...7, using: &rng), ne: Int.random(in: 0...300, using: &rng), isExtended: false)
        case 4: command = CommandAPDU(cla: 0, ins: 0xDC, p1: record, p2: sfi << 3 | 4, data: bytes([8, 16, 3, 32].randomElement(using: &rng)!, &rng), isExtended: false)
        case 5, 6: command = CommandAPDU(cla: 0, ins: 0xE2, p1: 0, p2: sfi << 3, data: bytes([8, 16, 16, 5, 33].randomElement(using: &rng)!, &rng), isExtended: false)
        case 7: command = CommandAPDU(cla: 0, ins: 0x84, p1: 0, p2: 0, ne: Int.random(in: 0...300, using: &rng), isExtended: false)
        case 8: command = CommandAPDU(cla: 0, ins: 0xC0, p1: 0, p2: 0, ne: Int.random(in: 0...300, using: &rng), isExtended: false)
        case 9: return bytes(Int.random(in: 0..<12, using: &rng), &rng)
        default: command = CommandAPDU(cla: classes.randomElement(using: &rng)!, ins: UInt8.random(in: 0...255, using: &rng),
                                       p1: UInt8.random(in: 0...255, using: &rng), p2: UInt8.random(in: 0...255, using: &rng),
                                       data: bytes(Int.random(in: 0...4, using: &rng), &rng), ne: Int.random(in: 0...2, using: &rng), isExtended: false)
        }
        if Int.random(in: 0..<5, using: &rng) == 0 { command.cla = classes.randomElement(using: &rng)! }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            command = CommandAPDU(cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2,
                                  data: command.data, ne: command.ne, isExtended: true)
        }
        var encoded = command.bytes
        if Int.random(in: 0..<10, using: &rng) == 0, !encoded.isEmpty {
            encoded[Int.random(in: 0..<encoded.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        }
        return encoded
    }

    @Test("every random command gets SW1 SW2 and leaves the layout intact", arguments: [1, 2, 3, 4] as [UInt64])
    func random(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let card = demoCard()
        let layout = CardState.demo().fileSystem
        var statusWords: [UInt16: Int] = [:]
        for index in 0..<5000 {
            if index % 500 == 0 { card.powerOn() }
            let reply = card.transmit(Self.randomCommand(&rng))
            guard reply.count >= 2 else {
                Issue.record("seed \(seed), command \(index): a reply without a status word")
                return
            }
            let sw1 = reply[reply.count - 2]
            statusWords[UInt16(sw1) << 8 | UInt16(reply[reply.count - 1]), default: 0] += 1
            #expect(sw1 == 0x90 || (0x61...0x6F).contains(sw1), "seed \(seed), command \(index): SW1 \(sw1)")
        }
        #expect(statusWords[0x9000, default: 0] > 200, "the commands reach the file system: \(statusWords)")
        #expect(statusWords.count > 15, "the commands reach many error paths: \(statusWords.keys.sorted())")
        let written = card.state != CardState.demo()
        #expect(written, "some writes succeeded")
        let fs = card.state.fileSystem
        #expect(Set(fs.files.keys) == Set(layout.files.keys))
        for (path, file) in fs.files {
            switch (file.content, layout[path]!.content) {
            case (.transparent(let now), .transparent(let then)): #expect(now.count == then.count)
            case (.records(let now), .records(let then)):
                #expect(now.records.count <= now.maxRecords)
                #expect(now.records.allSatisfy(now.accepts))
                #expect(now.structure == then.structure)
            case (.dedicated(let now), .dedicated(let then)): #expect(now == then)
            default: Issue.record("\(path) changed its structure")
            }
        }
    }
}
