import Testing
@testable import CardEmulator

/// A small applet exercising every extension point: VERIFY granting `pin` with a persistent retry
/// counter, a proprietary two-file write, and a "secure messaging" class that runs the inner ISO
/// command with the `sm` grant.
struct TestApplet: CardApplet {
    static let pin: [UInt8] = Array("1234".utf8)
    var powerOns = 0

    mutating func powerOn(session: inout CardSession) {
        powerOns += 1
        session.security.granted.insert("powered-on-\(powerOns)")
    }

    mutating func handle(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? {
        switch (command.cla, command.ins) {
        case (0x00, 0x20):   // VERIFY
            var tries = session.state.appletData["pin.tries"]?.first ?? 3
            guard tries > 0 else { throw .authenticationMethodBlocked }
            if command.data == Self.pin {
                session.state.appletData["pin.tries"] = [3]
                session.security.granted.insert("pin")
                return ResponseAPDU()
            }
            tries -= 1
            session.state.appletData["pin.tries"] = [tries]
            return ResponseAPDU(statusWord: .verificationFailed(triesLeft: Int(tries)))
        case (0x80, 0x10):   // write P1 bytes of 0x5A to both 2F01 and 2F02, then fail if P2 = 1
            for path in ["3F00/2F01", "3F00/2F02"] {
                _ = try session.executeISO(CommandAPDU(cla: 0, ins: 0xA4, p1: 0x08, p2: 0x0C, data: Hex.decode(String(path.dropFirst(5)))!, isExtended: false))
                _ = try session.executeISO(CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: Array(repeating: 0x5A, count: Int(command.p1)), isExtended: false))
            }
            if command.p2 == 1 { throw .memoryFailure }
            return ResponseAPDU()
        case (0x00, 0x82):   // "EXTERNAL AUTHENTICATE": the data must be the last challenge, which is used once
            guard let challenge = session.takeChallenge() else { throw .conditionsOfUseNotSatisfied }
            guard command.data == challenge else { return ResponseAPDU(statusWord: .verificationFailed) }
            session.security.granted.insert("auth")
            return ResponseAPDU()
        case (0x0C, _):      // "secure messaging": the inner command is the data field; errors answered as data
            let inner = try CommandAPDU(received: command.data)
            do {
                return try session.executeISO(inner, grants: ["sm"])
            } catch {
                session.state.appletData["sm.errors"] = [(session.state.appletData["sm.errors"]?.first ?? 0) + 1]
                return ResponseAPDU(data: error.bytes, statusWord: .success)
            }
        default:
            return nil
        }
    }
}

@Suite("Applet extension points")
struct AppletTests {
    static func card(store: CardStateStore? = nil) throws -> EmulatedCard {
        var state = CardState.demo()
        try state.fileSystem.create(CardFile(
            path: FilePath("3F00/A001")!, shortID: 10, content: .transparent(data: [0, 0]),
            access: AccessRules([.read: .allOf("pin"), .update: AccessCondition("pin & sm")!])))
        let card = EmulatedCard(state: state, applet: TestApplet(), store: store)
        card.powerOn()
        return card
    }

    @Test("access conditions follow the grants the applet maintains")
    func grants() throws {
        let card = try Self.card()
        #expect(send(card, "00B08A0002").sw == 0x6982)
        #expect(send(card, "0020000104" + Hex.encode(TestApplet.pin)).sw == 0x9000)
        #expect(send(card, "00B08A0002") == Reply(data: [0, 0], sw: 0x9000))
        #expect(send(card, "00D68A0002AABB").sw == 0x6982, "update needs pin and sm")
        #expect(send(card, "0C000000" + "07" + "00D68A0002AABB").sw == 0x9000)
        #expect(send(card, "00B08A0002").data == [0xAA, 0xBB])
        #expect(card.session.security.granted == ["powered-on-1", "pin"], "sm held for that command only")
        card.powerOn()
        #expect(send(card, "00B08A0002").sw == 0x6982, "power-on clears the security state")
    }

    @Test("a failed ISO command run by the applet leaves the session as it was; the applet's answer is kept")
    func caughtFailure() throws {
        let card = try Self.card()
        send(card, "00A4000C022F01")
        // READ BINARY by SFI 3 would make 2F03 current, but 2F03 is a record file: 6981.
        #expect(send(card, "0C000000" + "05" + "00B0830001" + "00") == Reply(data: [0x69, 0x81], sw: 0x9000))
        #expect(card.session.currentEF == FilePath("3F00/2F01"))
        #expect(card.state.appletData["sm.errors"] == [1], "the applet's own change is committed")
    }

    @Test("a retry counter kept by a returned failure survives power cycles; a blocked PIN stays blocked")
    func retryCounter() throws {
        let card = try Self.card()
        #expect(send(card, "002000010430303030").sw == 0x63C2)
        card.powerOn()
        #expect(send(card, "002000010430303030").sw == 0x63C1)
        #expect(send(card, "002000010430303030").sw == 0x63C0)
        #expect(send(card, "0020000104" + Hex.encode(TestApplet.pin)).sw == 0x6983)
        #expect(card.state.appletData["pin.tries"] == [0])
    }

    @Test("a command writing two files keeps both or neither")
    func atomic() throws {
        let card = try Self.card()
        #expect(send(card, "80100401").sw == 0x6581)
        #expect(card.state.fileSystem[FilePath("3F00/2F01")!] == CardState.demo().fileSystem[FilePath("3F00/2F01")!])
        #expect(send(card, "00B0810004").data == [0, 0, 0, 0])
        #expect(send(card, "80100400").sw == 0x9000)
        #expect(send(card, "00B0810004").data == [0x5A, 0x5A, 0x5A, 0x5A])
        #expect(send(card, "00B0820004").data == [0x5A, 0x5A, 0x5A, 0x5A])
    }

    @Test("the applet's powerOn runs at every power-on and reset")
    func powerOn() throws {
        let card = try Self.card()
        #expect(card.session.security.granted == ["powered-on-1"])
        card.reset()
        #expect(card.session.security.granted == ["powered-on-2"])
        card.powerOff()
        #expect(card.session.security.granted.isEmpty)
        card.powerOn()
        #expect(card.session.security.granted == ["powered-on-3"])
    }

    @Test("a challenge answers one authentication only")
    func challengeOnce() throws {
        let card = try Self.card()
        #expect(send(card, "0082000008" + "0102030405060708").sw == 0x6985)
        let challenge = send(card, "0084000008").data
        #expect(send(card, "0082000008" + Hex.encode(challenge)).sw == 0x9000)
        #expect(card.session.security.granted.contains("auth"))
        #expect(send(card, "0082000008" + Hex.encode(challenge)).sw == 0x6985, "a replayed answer finds no challenge")
        let wrong = send(card, "0084000008").data.map { $0 ^ 0xFF }
        #expect(send(card, "0082000008" + Hex.encode(wrong)).sw == 0x6300)
        #expect(card.session.challenge == nil, "a failed attempt uses the challenge up too")
    }

    @Test("access condition text form")
    func conditionText() throws {
        let condition = try #require(AccessCondition("role.issuer & sm | role.endorser & sm"))
        #expect(condition.isSatisfied(by: ["role.issuer", "sm"]))
        #expect(condition.isSatisfied(by: ["role.endorser", "sm", "pin"]))
        #expect(!condition.isSatisfied(by: ["role.issuer"]))
        #expect(AccessCondition(condition.description) == condition)
        #expect(AccessCondition("always") == .always)
        #expect(AccessCondition("never") == .never)
        #expect(AccessCondition("a & | b") == nil)
        #expect(AccessCondition("a b") == nil)
        #expect(!AccessCondition.never.isSatisfied(by: ["anything"]))
        #expect(AccessCondition.always.isSatisfied(by: []))
    }
}
