import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms
@testable import PermitApplet

/// `permit-card --profile NAME` as the demo and the Python interop test run it: a separate process
/// plugged into a reader of the private pcscd, reached through libpcsclite like any real card.
@Suite("permit-card --profile through pcscd", .serialized)
struct CardProcessTests {
    static let executable = TestProgram.builtProduct("permit-card")

    static func masterKeysFile() throws -> String {
        let path = ScratchDirectory.file("permit-applet-master-keys", suffix: ".json")
        let data = try JSONEncoder().encode(Fixtures.masterKeys)
        #expect(FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]))
        return path
    }

    @Test("permit-card refuses a profile without master keys, a bad serial, and card options without a profile", arguments: [
        (["--profile", "zhejiang"], "--profile needs the issuing master key: --keys FILE"),
        (["--profile", "zhejiang", "--master-keys", "/nonexistent", "--serial", "12"], "--serial must be 16 hex digits"),
        (["--serial", "5A4A000000000001"], "need --profile"),
    ])
    func badFlags(arguments: [String], message: String) async throws {
        let result = try await TestProgram.run(Self.executable, arguments)
        #expect(result.status == 64)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("an unknown profile is named with the ones available")
    func unknownProfile() async throws {
        let result = try await TestProgram.run(Self.executable, ["--profile", "atlantis", "--master-keys", try Self.masterKeysFile(), "--retry-for", "1"])
        #expect(result.status != 0)
        #expect(result.errors.contains("atlantis") && result.errors.contains("zhejiang"), "\(result.errors)")
    }

    @Test("a blank zhejiang card in its own process: FCI, chip authentication with the key it was initialised with, issuing key inside the session, state file")
    func blankCardThroughPCSC() async throws {
        let profile = Fixtures.profile("zhejiang")
        let statePath = ScratchDirectory.file("permit-applet", suffix: ".json")
        var chipKey: VerifyingKey?
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let process = try await TestProgram(Self.executable, [
                "--profile", "zhejiang", "--master-keys", try Self.masterKeysFile(), "--serial", Fixtures.serial.description,
                "--state", statePath, "--vpcd", "127.0.0.1:\(slot.port)",
            ])
            defer { process.signal(SIGKILL) }  // if a check throws before stop()
            let context = PCSCContext()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true, timeout: .seconds(15))
            let connection = try await context.connect(slot.readerName, options: ChannelOptions(extendedLength: true))
            func send(_ bytes: [UInt8]) async throws -> (data: [UInt8], sw: UInt16) {
                let response = try await connection.send(try SmartCard.CommandAPDU(bytes: bytes))
                return (response.data, response.statusWord.value)
            }
            let aid = profile.card.aid
            let select = try await send([0x00, 0xA4, 0x04, 0x00, UInt8(aid.count)] + aid + [0x00])
            #expect(select.sw == 0x9000)
            #expect(Array(select.data.prefix(5)) == [0x6F, 0x27, 0x8A, 0x01, 0x03])
            #expect(Array(select.data[10..<18]) == Fixtures.serial.bytes)

            // Chip authentication through pcscd, then the issuing key inside the session.
            let request = try ChipAuthentication.Request(suite: profile.suite)
            let general = try await send([0x00, 0x86, 0x00, 0x00, UInt8(request.commandData.count)] + request.commandData + [0x00])
            #expect(general.sw == 0x9000)
            let chip = try request.accept(general.data)
            var channel = SecureMessagingChannel(keys: chip.keys)
            let issuingKey = try Fixtures.masterKeys.cardKey(for: .issuingStation, serial: Fixtures.serial)
            let cryptogram = try RoleAuthentication.terminalCryptogram(roleKey: issuingKey, session: chip, serial: Fixtures.serial, keyNumber: 1, keyVersion: 1)
            let external = try channel.protect(CommandAPDU(cla: 0, ins: 0x82, p1: 0x01, p2: 0x01, data: cryptogram, ne: 16, isExtended: false), encrypt: true)
            let raw = try await send(external.apdu.bytes)
            let answer = try channel.unprotect(response: raw.data + [UInt8(raw.sw >> 8), UInt8(raw.sw & 0xFF)])
            #expect(answer.statusWord == 0x9000)
            try RoleAuthentication.checkCard(answer.data, roleKey: issuingKey, session: chip, serial: Fixtures.serial, keyNumber: 1, keyVersion: 1)
            chipKey = chip.chipPublicKey
            await connection.disconnect()
            try await process.stop()
        }
        let saved = try #require(try CardStateStore(path: statePath).load())
        let applet = try PermitApplet(profile: profile)
        #expect(applet.lifeCycle(of: saved) == .personalisation)
        #expect(applet.serial(of: saved) == Fixtures.serial)
        let chipPrivateKey = try #require(saved.chipPrivateKey, "the chip key was saved with the card")
        #expect(try AgreementKey(rawRepresentation: chipPrivateKey).publicKey == chipKey)
    }
}
