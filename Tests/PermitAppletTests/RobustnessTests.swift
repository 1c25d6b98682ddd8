import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet
import SeededRandom

/// Seeded garbage and mutated APDUs: the card answers every one, never crashes, and nothing it keeps
/// changes, because no write can pass without a valid MAC of an open session.
@Suite("Robustness against malformed and forged APDUs")
struct RobustnessTests {

    static let instructions: [UInt8] = [0xA4, 0xB0, 0xB2, 0xD6, 0xDC, 0xE2, 0x84, 0x82, 0x88, 0x20, 0x24, 0x2C, 0x47, 0xD8, 0x44, 0xC0, 0xCA]
    static let classes: [UInt8] = [0x00, 0x0C, 0x80, 0x8C, 0x10, 0x1C, 0x01, 0xFF]

    static func randomAPDU(_ generator: inout SeededGenerator) -> [UInt8] {
        var apdu = [
            classes.randomElement(using: &generator)!, instructions.randomElement(using: &generator)!,
            UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
        ]
        let length = [0, 1, 8, 16, 24, 87, 95, 221, 300].randomElement(using: &generator)!
        let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if length > 255 {
            apdu += [0x00, UInt8(length >> 8), UInt8(length & 0xFF)] + data + (Bool.random(using: &generator) ? [0x00, 0x00] : [])
        } else if length > 0 {
            apdu += [UInt8(length)] + data + (Bool.random(using: &generator) ? [0x00] : [])
        } else if Bool.random(using: &generator) {
            apdu.append(UInt8.random(in: 0...255, using: &generator))
        }
        return apdu
    }

    @Test("random APDUs, with and without an open session, change nothing on an issued card", arguments: Fixtures.profileNames, [UInt64(1), 2, 3])
    func randomAPDUs(name: String, seed: UInt64) throws {
        let terminal = try Terminal.issued(name)
        var generator = SeededGenerator(seed: seed)
        let before = terminal.card.state
        for round in 0..<400 {
            if round % 50 == 0 {
                terminal.select()
                terminal.authenticate(KeyRole.allCases.randomElement(using: &generator)!)
            }
            let apdu = Self.randomAPDU(&generator)
            let answer = terminal.card.transmit(apdu)
            #expect(answer.count >= 2, "seed \(seed) round \(round)")
            #expect(terminal.card.state == before, "seed \(seed) round \(round): \(Hex.encode(apdu.prefix(5)))")
        }
        // The card is not stuck: a proper session still works.
        terminal.select()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x9000)
    }

    @Test("every single-bit change of a valid protected endorsement is refused and writes nothing", arguments: Fixtures.profileNames)
    func bitFlips(name: String) throws {
        let terminal = try Terminal.issued(name)
        let endorsement = Records.endorsement(number: 1, statusSequence: 1)
        let before = terminal.card.state
        var checked = 0
        for bit in stride(from: 0, to: 120 * 8, by: 7) {
            terminal.select()
            #expect(terminal.authenticate(.issuingStation) == 0x9000)
            var channel = try #require(terminal.channel)
            var apdu = try channel.protect(Terminal.command(0x00, 0xE2, 0, terminal.sfi(.endorsements) << 3, data: endorsement)).apdu.bytes
            guard bit / 8 < apdu.count - 1 else { break }
            apdu[bit / 8] ^= 1 << (bit % 8)
            let answer = terminal.sendRaw(apdu)
            #expect(answer.sw != 0x9000, "bit \(bit): a changed command must not verify")
            #expect(terminal.card.state == before, "bit \(bit) of \(Hex.encode(apdu.prefix(5)))")
            checked += 1
        }
        #expect(checked > 100)
    }
}
