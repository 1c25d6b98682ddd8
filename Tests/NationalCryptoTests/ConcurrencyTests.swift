import ISO7816
import NationalCrypto
import Testing

@Suite("Thread safety")
struct ConcurrencyTests {
    @Test("one SM2 key, SM3 and SM4 used from many tasks at once give the single-threaded answers")
    func manyTasks() async throws {
        let key = try SM2PrivateKey()
        let sm4Key = try [UInt8](hex: "0123456789ABCDEFFEDCBA9876543210")
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let message = Array("task \(index)".utf8)
                    let signature = try key.signature(for: message)
                    let digest = try SM3.hash(Array("abc".utf8)).hexString
                    let block = try SM4.encryptBlock(sm4Key, key: sm4Key).hexString
                    return key.publicKey.isValidSignature(signature, for: message)
                        && !key.publicKey.isValidSignature(signature, for: message + [0x00])
                        && digest == "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"
                        && block == "681EDF34D206965E86B3E94F536E4246"
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: true, count: 32))
    }
}
