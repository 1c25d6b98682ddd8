import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// Programs the interop tests run: built products next to the test bundle, and Debian's tools.
enum Peers {
    static let permit = TestProgram.builtProduct("permit")
    static let openscTool = "/usr/bin/opensc-tool"
    /// Debian's python3 (with python3-pyscard); the first python3 on PATH may be another build.
    static let python = "/usr/bin/python3"
    static let vicc = "/usr/bin/vicc"

    /// Fails with the Debian package to install when a peer program is missing.
    static func require(_ path: String, package: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw PeerError.missing(path: path, package: package) }
    }
}

enum PeerError: Error, CustomStringConvertible {
    case missing(path: String, package: String)

    var description: String {
        switch self {
        case .missing(let path, let package): "\(path) is missing: install the Debian package '\(package)' (scripts/setup does)"
        }
    }
}

/// The reference card in a leased sandbox reader, for peers to talk to.
func withEmulatedCard<T>(_ body: (SandboxSlot, EmulatedCard, PCSCContext) async throws -> T) async throws -> T {
    try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
        let context = PCSCContext()
        let card = EmulatedCard(state: .demo())
        let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
        link.start()
        do {
            try await link.waitUntilConnected()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true)
            let result = try await body(slot, card, context)
            try await link.stop()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
            return result
        } catch {
            try? await link.stop()
            try? await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
            throw error
        }
    }
}
