import Foundation
import PKCS11

/// How a station reaches its keys: the PKCS#11 module of its HSM, SAM or SoftHSM2, the token's label,
/// and the file holding the token's user PIN. Stored as JSON beside the station's configuration:
///
///     {"module": "/usr/lib/softhsm/libsofthsm2.so", "token": "permit-kiosk", "pinFile": "kiosk.pin"}
///
/// A relative `pinFile` is relative to the configuration file. The PIN file must not be readable by
/// the group or others; the PIN is never printed or logged.
public struct TokenConfiguration: Sendable, Equatable, Codable {
    /// Path of the PKCS#11 module (shared library).
    public var module: String
    /// The token's label.
    public var token: String
    /// The file holding the token's user PIN on its first line.
    public var pinFile: String

    public init(module: String, token: String, pinFile: String) {
        self.module = module
        self.token = token
        self.pinFile = pinFile
    }

    /// Reads a configuration file; a relative `pinFile` is made absolute against the file's directory.
    public static func load(from url: URL) throws(KeyCustodyError) -> TokenConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .configurationUnreadable(path: url.path, problem: "the file is missing or not readable")
        }
        var configuration: TokenConfiguration
        do { configuration = try JSONDecoder().decode(TokenConfiguration.self, from: data) } catch {
            throw .configurationUnreadable(path: url.path, problem: Self.problem(error))
        }
        if !configuration.pinFile.hasPrefix("/") {
            configuration.pinFile = url.deletingLastPathComponent().appendingPathComponent(configuration.pinFile).path
        }
        return configuration
    }

    /// The user PIN, refused when the file's mode lets the group or others read it.
    public func pin() throws(KeyCustodyError) -> TokenPIN {
        var status = stat()
        guard stat(pinFile, &status) == 0 else { throw .pinFileUnreadable(path: pinFile, problem: "the file is missing or not readable") }
        guard status.st_mode & 0o077 == 0 else { throw .pinFileExposed(path: pinFile, mode: UInt32(status.st_mode)) }
        guard let data = FileManager.default.contents(atPath: pinFile) else {
            throw .pinFileUnreadable(path: pinFile, problem: "the file is not readable by this user")
        }
        guard let text = String(data: data, encoding: .utf8), let line = text.split(separator: "\n", omittingEmptySubsequences: false).first,
              !line.isEmpty
        else { throw .pinFileUnreadable(path: pinFile, problem: "its first line is empty or not UTF-8 text") }
        do { return try TokenPIN(String(line)) } catch { throw .pinFileUnreadable(path: pinFile, problem: "\(error)") }
    }

    /// A sentence for a decoding failure, without Swift's type names.
    private static func problem(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "it has no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" must be a string"
        default: "it is not a JSON object"
        }
    }
}
