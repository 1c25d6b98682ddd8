import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// `permit readers` and `permit apdu` as an operator runs them, against the reference card.
@Suite("permit readers and permit apdu")
struct PermitCLITests {
    @Test("readers --json lists the card; apdu --json answers each APDU")
    func readersAndAPDU() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Peers.permit), "permit is not built at \(Peers.permit)")
        try await withEmulatedCard { slot, card, _ in
            let readers = try await TestProgram.permit(["readers", "--json"])
            #expect(readers.status == 0, "\(readers.errors)")
            struct Listing: Decodable { struct Reader: Decodable { let name: String; let card: Bool; let atr: String? }; let readers: [Reader] }
            let listing = try JSONDecoder().decode(Listing.self, from: Data(readers.output.utf8))
            let mine = try #require(listing.readers.first { $0.name == slot.readerName })
            #expect(mine.card && mine.atr == card.atr.bytes.hexString)

            let apdu = try await TestProgram.permit(["apdu", "--json", "--trace", "--reader", slot.readerName,
                                                    "00A4080C022F01", "00B0000004", "00A4080C02DEAD"])
            #expect(apdu.status == 0, "\(apdu.errors)")
            struct Answer: Decodable { struct Exchange: Decodable { let sw: String; let data: String }; let reader: String; let responses: [Exchange] }
            let answer = try JSONDecoder().decode(Answer.self, from: Data(apdu.output.utf8))
            #expect(answer.reader == slot.readerName)
            #expect(answer.responses.map(\.sw) == ["9000", "9000", "6A82"])
            #expect(answer.responses[1].data == "00000000")
            #expect(apdu.errors.contains("A>> T=1 (4+0003) 00A4080C 02 2F01"))
            #expect(apdu.errors.contains("# \(slot.readerName): 3 APDUs"))
        }
    }

    @Test("bad input is refused with the reason and nothing is sent", arguments: [
        (["apdu", "00A4G0"], "'G' at position 5", Int32(64)),
        (["apdu", "00A4040C05A000"], "announce 5 data bytes but 2", 64),
        (["apdu", "--reader", "No Such Reader", "00A4000C023F00"], "No reader named 'No Such Reader'", 1),
        (["readers", "--limit", "2"], "--limit only applies with --watch", 64),
    ])
    func badInput(arguments: [String], message: String, status: Int32) async throws {
        // A lease, although no card is used: it keeps pcscd from being restarted by another test meanwhile.
        let result = try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { _ in
            try await TestProgram.permit(arguments)
        }
        #expect(result.status == status)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("pcscd not running: a clear error naming the reader and the step", arguments: [
        (["readers"], "connecting to pcscd failed: pcscd is not running"),
        (["apdu", "--reader", "Desk Reader", "00A4000C023F00"], "Reader 'Desk Reader': connecting to pcscd failed: pcscd is not running"),
    ])
    func noDaemon(arguments: [String], message: String) async throws {
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("permitstation-no-pcscd/pcscd.comm").path
        let result = try await TestProgram.permit(arguments, environment: ["PCSCLITE_CSOCK_NAME": nowhere])
        #expect(result.status == 1)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(result.errors.contains("SCARD_E_NO_SERVICE"))
    }
}
