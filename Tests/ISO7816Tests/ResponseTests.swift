import ISO7816
import Testing

@Suite("Responses and status words")
struct ResponseTests {
    @Test("a response needs two status bytes")
    func responses() throws {
        #expect(throws: APDUError.responseTooShort(count: 1)) { try ResponseAPDU(bytes: [0x90]) }
        let response = try ResponseAPDU(bytes: [0x01, 0x02, 0x90, 0x00])
        #expect(response.data == [0x01, 0x02])
        #expect(response.statusWord == .success)
        #expect(response.bytes == [0x01, 0x02, 0x90, 0x00])
    }

    @Test("status words carry their ISO 7816-4 meaning", arguments: [
        (0x9000, "success", true),
        (0x6110, "success, 16 more response bytes available", true),
        (0x63C2, "warning: verification failed, 2 tries left", false),
        (0x6A82, "file or application not found", false),
        (0x6C00, "wrong Le: 256 bytes available", false),
        (0x6982, "security status not satisfied", false),
        (0x1234, "unknown status word", false),
    ] as [(UInt16, String, Bool)])
    func statusWords(value: UInt16, meaning: String, success: Bool) {
        let word = StatusWord(value)
        #expect(word.meaning == meaning)
        #expect(word.isSuccess == success)
        #expect(word.description.hasPrefix([word.sw1, word.sw2].hexString))
    }
}
