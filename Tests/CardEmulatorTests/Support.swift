import Foundation
import TestPrograms
@testable import CardEmulator

/// A response split for assertions.
struct Reply: Equatable, CustomStringConvertible {
    var data: [UInt8]
    var sw: UInt16

    var description: String { "\(Hex.encode(data)) \(StatusWord(sw))" }
}

/// Sends a command in hex (spaces allowed) to the card and splits the answer.
@discardableResult
func send(_ card: EmulatedCard, _ hex: String) -> Reply {
    let bytes = card.transmit(Hex.decode(hex)!)
    precondition(bytes.count >= 2, "a response has at least SW1 SW2")
    return Reply(data: Array(bytes.dropLast(2)), sw: UInt16(bytes[bytes.count - 2]) << 8 | UInt16(bytes[bytes.count - 1]))
}

/// A powered-on demo card in memory, with deterministic challenges.
func demoCard(applet: (any CardApplet)? = nil, store: CardStateStore? = nil) -> EmulatedCard {
    let card = EmulatedCard(state: .demo(), applet: applet, store: store, random: .counting)
    card.powerOn()
    return card
}

extension RandomSource {
    /// 01 02 03 ... then 02 03 04 ... : distinct, predictable challenges.
    static var counting: RandomSource {
        let counter = Counter()
        return RandomSource { count in
            let start = counter.next()
            return (0..<count).map { UInt8(truncatingIfNeeded: start + $0) }
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// A fresh directory for state files, removed when the test process exits.
func temporaryDirectory() -> String {
    ScratchDirectory.make("card-emulator-tests").path
}

func repeatedHex(_ byte: String, _ count: Int) -> String { String(repeating: byte, count: count) }
