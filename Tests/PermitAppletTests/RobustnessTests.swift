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

    static let instructions: [UInt8] = [0xA4, 0xB0, 0xB2, 0xD6, 0xDC, 0xE2, 0x84, 0x86, 0x82, 0x88, 0x20, 0x24, 0x2C, 0x47, 0xD8, 0x44, 0xC0, 0xCA]
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

    /// Every bit of header and data is under the MAC; the protected command's trailing Le byte is not
    /// (ISO/IEC 7816-4 §10: the expected length travels in DO'97' under the MAC when there is one), so
    /// a changed Le still runs the genuine command and only cuts or keeps the answer.
    @Test("every single-bit change of a valid protected endorsement's header and data is refused and writes nothing; a changed Le only changes the answer's length", arguments: Fixtures.profileNames)
    func bitFlips(name: String) throws {
        let terminal = try Terminal.issued(name)
        let endorsement = Records.endorsement(number: 1, statusSequence: 1)
        let before = terminal.card.state
        let aid = terminal.profile.card.aid
        /// A fresh session and the endorsement protected under it, as the terminal would send it.
        func protectedEndorsement() throws -> [UInt8] {
            terminal.select()
            #expect(terminal.authenticate(.issuingStation) == 0x9000)
            var channel = try #require(terminal.channel)
            return try channel.protect(Terminal.command(0x00, 0xE2, 0, terminal.sfi(.endorsements) << 3, data: endorsement), encrypt: true).apdu.bytes
        }
        let length = try protectedEndorsement().count
        var refused = 0
        for bit in 0..<(length * 8) {
            try terminal.card.replaceState(before)
            var apdu = try protectedEndorsement()
            apdu[bit / 8] ^= 1 << (bit % 8)
            let answer = terminal.sendRaw(apdu)
            if bit / 8 == length - 1 {
                #expect(terminal.card.state.records(sfi: terminal.sfi(.endorsements), aid: aid) == [endorsement], "Le bit \(bit)")
                continue
            }
            if bit / 8 == 0 && apdu[0] & 0x10 != 0 {
                // The chaining bit: the card takes it as the first part of a chain (9000, nothing executed)
                // and refuses whatever comes next that does not continue it.
                #expect(answer.sw == 0x9000, "bit \(bit)")
                #expect(terminal.transmit("00A4040000").sw == 0x6883, "bit \(bit): an abandoned chain must be refused")
            } else {
                #expect(answer.sw != 0x9000, "bit \(bit): a changed command must not verify")
            }
            #expect(terminal.card.state == before, "bit \(bit) of \(Hex.encode(apdu.prefix(5)))")
            refused += 1
        }
        #expect(refused == (length - 1) * 8 && length > 100, "\(refused) of the \(length * 8) bits of a \(length)-byte command refused")
    }
}

extension CardState {
    /// The records of the record file `sfi` in the application `aid` (empty if there is none).
    func records(sfi: UInt8, aid: [UInt8]) -> [[UInt8]] {
        guard let application = fileSystem.dedicatedFiles(namePrefix: aid).first?.path,
              case .records(let file)? = fileSystem.elementaryFile(shortID: sfi, in: application)?.content
        else { return [] }
        return file.records
    }
}
