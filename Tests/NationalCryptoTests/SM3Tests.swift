import ISO7816
import NationalCrypto
import Testing

@Suite("SM3 digest (GB/T 32905)")
struct SM3Tests {
    /// GB/T 32905-2016 appendix A: example 1 ("abc") and example 2 ("abcd" repeated 16 times, 64 bytes).
    static let standardExamples: [(message: [UInt8], digest: String)] = [
        (Array("abc".utf8), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"),
        (Array(String(repeating: "abcd", count: 16).utf8), "DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732"),
    ]

    @Test("the standard's examples", arguments: 0..<standardExamples.count)
    func standardExample(index: Int) throws {
        let example = Self.standardExamples[index]
        #expect(try SM3.hash(example.message).hexString == example.digest)
    }

    @Test("piece by piece gives the one-shot digest, whatever the cut")
    func incremental() throws {
        let message = Array(String(repeating: "abcd", count: 16).utf8)
        for cut in [0, 1, 3, 55, 56, 63, 64] {
            var digest = try SM3()
            try digest.update(Array(message[..<cut]))
            try digest.update(Array(message[cut...]))
            #expect(try digest.finalize().hexString == Self.standardExamples[1].digest, "cut at \(cut)")
        }
    }

    @Test("a copy goes on independently; finalize leaves the value usable")
    func valueSemantics() throws {
        var original = try SM3()
        try original.update(Array("ab".utf8))
        var copy = original
        try copy.update(Array("c".utf8))
        #expect(try copy.finalize().hexString == Self.standardExamples[0].digest)
        #expect(try original.finalize() == SM3.hash(Array("ab".utf8)))
        try original.update(Array("c".utf8))
        #expect(try original.finalize() == copy.finalize())
    }
}
