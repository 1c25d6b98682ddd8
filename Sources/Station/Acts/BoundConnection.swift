import CardSecurity
import Foundation
import ISO7816
import PermitCard

/// A connection that serves one card only: the answer to every SELECT is read for the card's serial, and when
/// another card answers (a card swapped in the reader since it was read), that command fails and no later one
/// is sent. An act bound to the serial it read therefore never writes another card; the answer to SELECT
/// comes before chip authentication, so the check costs no APDU.
final class BoundConnection: APDUConnection, @unchecked Sendable {
    let base: any APDUConnection
    let serial: CardSerial
    private let lock = NSLock()
    private var found: CardSerial?

    init(_ base: any APDUConnection, serial: CardSerial) {
        self.base = base
        self.serial = serial
    }

    /// The serial of the other card that answered, once one did.
    var swappedFor: CardSerial? { lock.withLock { found } }

    func send(_ command: CommandAPDU) async throws -> ResponseAPDU {
        if let other = swappedFor { throw CardSwapped(expected: serial, found: other) }
        let response = try await base.send(command)
        // SELECT by name (INS A4, P1 04): its FCI names the card's serial.
        if command.ins == 0xA4, command.p1 == 0x04, response.statusWord == .success,
           let fci = try? ApplicationFCI(decoding: response.data), fci.serial != serial {
            lock.withLock { found = fci.serial }
            throw CardSwapped(expected: serial, found: fci.serial)
        }
        return response
    }

    var atr: [UInt8] {
        get async throws { try await base.atr }
    }

    func withTransaction<T>(_ body: () async throws -> T) async throws -> T {
        try await base.withTransaction(body)
    }

    func disconnect() async { await base.disconnect() }
}

/// Another card answered than the one an act read.
struct CardSwapped: Error, CustomStringConvertible {
    let expected: CardSerial
    let found: CardSerial

    var description: String { "card \(found) answered where card \(expected) was read: the card was swapped" }
}

extension PermitCard {
    /// The same card, profile, terminal and clock, over a connection that serves card `serial` only.
    func bound(to serial: CardSerial) -> (PermitCard, BoundConnection) {
        let bound = BoundConnection(connection, serial: serial)
        return (PermitCard(connection: bound, profile: profile, terminal: terminal, clock: calendar.clock), bound)
    }
}
