import Foundation
import ISO7816
import TestPrograms

/// gmssl (pure-Python SM2 / SM3 / SM4, not written here) through `gmssl_peer.py`, under Debian's python3
/// with gmssl from the repository's `.build-python` (scripts/setup puts it there).
enum GmsslPeer {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packages = testsFolder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build-python").path

    /// One operation for the peer; bytes as hex. `der` picks gmssl's DER signatures over r || s.
    struct Request: Encodable, Sendable {
        var op: String
        var key: String?, block: String?, iv: String?, data: String?, message: String?
        var `private`: String?, `public`: String?, signature: String?, id: String?, k: String?
        var der: Bool?

        init(_ op: String, key: [UInt8]? = nil, block: [UInt8]? = nil, iv: [UInt8]? = nil, data: [UInt8]? = nil,
             message: [UInt8]? = nil, privateKey: [UInt8]? = nil, publicKey: [UInt8]? = nil, signature: [UInt8]? = nil,
             id: [UInt8]? = nil, nonce: [UInt8]? = nil, der: Bool? = nil) {
            self.op = op
            (self.key, self.block, self.iv, self.data, self.message) = (key?.hexString, block?.hexString, iv?.hexString, data?.hexString, message?.hexString)
            (self.private, self.public, self.signature, self.id, self.k) = (privateKey?.hexString, publicKey?.hexString, signature?.hexString, id?.hexString, nonce?.hexString)
            self.der = der
        }
    }

    enum Failure: Error, CustomStringConvertible {
        case failed(String)
        case unexpectedAnswer(String)

        var description: String {
            switch self {
            case .failed(let detail): "gmssl_peer.py failed (run scripts/setup to install gmssl into .build-python): \(detail)"
            case .unexpectedAnswer(let output): "gmssl_peer.py answered something other than one result per request: \(output)"
            }
        }
    }

    /// The peer's answers, in order: hex strings (as bytes) for digests, ciphertexts, MACs, keys and signatures.
    static func bytes(_ requests: [Request]) async throws -> [[UInt8]] {
        try await answers(requests).map { answer in
            guard let hex = answer as? String else { throw Failure.unexpectedAnswer("\(answer)") }
            return try [UInt8](hex: hex)
        }
    }

    /// The peer's verdicts, in order, for verification requests.
    static func verdicts(_ requests: [Request]) async throws -> [Bool] {
        try await answers(requests).map { answer in
            guard let verdict = answer as? Bool else { throw Failure.unexpectedAnswer("\(answer)") }
            return verdict
        }
    }

    private static func answers(_ requests: [Request]) async throws -> [Any] {
        let result = try await TestProgram.run(
            "/usr/bin/python3", [testsFolder.appendingPathComponent("gmssl_peer.py").path],
            environment: ["PYTHONPATH": packages], input: try JSONEncoder().encode(requests), timeout: .seconds(120))
        guard result.status == 0 else { throw Failure.failed("status \(result.status): \(result.errors)") }
        guard let answers = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [Any],
              answers.count == requests.count
        else { throw Failure.unexpectedAnswer(result.output) }
        return answers
    }
}
