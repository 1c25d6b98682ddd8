import Foundation
import Testing
@testable import CardEmulator

@Suite("State file")
struct PersistenceTests {
    @Test("a card keeps its files and applet data across a restart of the emulator")
    func roundTrip() throws {
        let path = temporaryDirectory() + "/card.json"
        let store = CardStateStore(path: path)
        let first = try EmulatedCard(store: store, initial: .demo())
        first.powerOn()
        #expect(FileManager.default.fileExists(atPath: path), "a new card is saved at once")
        send(first, "00D6810003010203")
        send(first, "00E2001810" + String(repeating: "AB", count: 16))
        send(first, "00E2002003" + "C0C1C2")   // 2F04 is cyclic with 8-byte records: refused, nothing saved
        let second = try EmulatedCard(store: store, initial: CardState())
        second.powerOn()
        #expect(second.state == first.state)
        #expect(send(second, "00B0810003").data == [1, 2, 3])
        #expect(send(second, "00B2011C00").data == Array(repeating: 0xAB, count: 16))
        #expect(send(second, "00B2012400").sw == 0x6A83)
    }

    @Test("every part of the state survives encoding", arguments: [ATR.standard, try! ATR(hex: "3B00")])
    func encoding(atr: ATR) throws {
        var state = CardState.demo(atr: atr)
        state.appletData = ["keys": [1, 2, 3], "counter": []]
        try state.fileSystem.create(CardFile(
            path: FilePath("3F00/DF01/0103")!, shortID: 3,
            content: .records(RecordFile(structure: .cyclic, maxRecordLength: 2, maxRecords: 3, records: [[1, 2], [3, 4]])),
            access: AccessRules([.read: AccessCondition("a & b | c")!, FileOperation("deactivate"): .always])))
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(CardState.self, from: data) == state)
    }

    @Test("saves are atomic: no temporary file is left and a save replaces the whole file")
    func atomicSave() throws {
        let directory = temporaryDirectory()
        let store = CardStateStore(path: directory + "/card.json")
        try store.save(.demo())
        var changed = CardState.demo()
        changed.appletData["x"] = [1]
        try store.save(changed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["card.json"])
        #expect(try store.load() == changed)
    }

    @Test("a refused command does not touch the file")
    func refusedNotSaved() throws {
        let path = temporaryDirectory() + "/card.json"
        let card = try EmulatedCard(store: CardStateStore(path: path), initial: .demo())
        card.powerOn()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(send(card, "00D681FF02AABB").sw == 0x6A84)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a state file that cannot be saved answers 6581 and keeps the old state")
    func unwritable() throws {
        let directory = temporaryDirectory()
        let store = CardStateStore(path: directory + "/gone/card.json")
        let card = EmulatedCard(state: .demo(), store: store)
        card.powerOn()
        #expect(send(card, "00D6810002AABB").sw == 0x6581)
        #expect(send(card, "00B0810002").data == [0, 0])
        #expect(throws: CardStateStoreError.self) { try store.save(.demo()) }
    }

    @Test("a malformed state file is refused with the place of the problem", arguments: [
        ("{}", "format"),
        (#"{"format":"permitstation.card-state","version":2,"atr":"3B00","files":[]}"#, "version 2"),
        (#"{"format":"permitstation.card-state","version":1,"atr":"3B01","files":[]}"#, "ATR too short"),
        (#"{"format":"permitstation.card-state","version":1,"atr":"3B00","files":[{"path":"3F00/2F01/0001","type":"transparent","data":""}]}"#, "parent DF does not exist"),
        (#"{"format":"permitstation.card-state","version":1,"atr":"3B00","files":[{"path":"3F00/2F01","type":"transparent","data":"XYZ"}]}"#, "not hex"),
        (#"{"format":"permitstation.card-state","version":1,"atr":"3B00","files":[{"path":"3F00/2F01","type":"DF","access":{"read":"a b"}}]}"#, "not an access condition"),
        ("not json", "card state"),
    ])
    func malformed(text: String, expected: String) throws {
        let path = temporaryDirectory() + "/card.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CardStateStore(path: path).load()
            Issue.record("loaded a malformed state file")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains(path))
        }
    }

    @Test("no state file yet: load answers nil")
    func missing() throws {
        #expect(try CardStateStore(path: temporaryDirectory() + "/none.json").load() == nil)
    }
}

/// Counts power-ons in persistent applet data, as a card completing work at power-on would change state.
struct PowerOnCounter: CardApplet {
    mutating func powerOn(session: inout CardSession) {
        session.state.appletData["power-ons"] = [(session.state.appletData["power-ons"]?.first ?? 0) + 1]
    }

    mutating func handle(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? { nil }
}

@Suite("Persistent changes at power-on")
struct PowerOnPersistenceTests {
    @Test("what an applet changes at power-on is saved")
    func saved() throws {
        let store = CardStateStore(path: temporaryDirectory() + "/card.json")
        let card = try EmulatedCard(store: store, initial: .demo(), applet: PowerOnCounter())
        card.powerOn()
        card.reset()
        #expect(try store.load()?.appletData["power-ons"] == [2])
    }

    @Test("a power-on change that cannot be saved is dropped, so memory and file agree")
    func dropped() {
        let card = EmulatedCard(state: .demo(), applet: PowerOnCounter(),
                                store: CardStateStore(path: temporaryDirectory() + "/missing/card.json"))
        card.powerOn()
        #expect(card.state.appletData["power-ons"] == nil)
    }
}
