/// Something that happened to the readers. A watch starts by announcing what is already
/// there (each reader added, each present card inserted), so a consumer needs no separate
/// listing; a pcscd restart shows as everything removed, then added again.
public enum ReaderEvent: Hashable, Sendable, CustomStringConvertible {
    case readerAdded(String)
    case readerRemoved(String)
    case cardInserted(reader: String, atr: [UInt8])
    case cardRemoved(reader: String)
    /// Another card (or the same card re-inserted) was found where a card was before, with
    /// no moment seen in between: its session state is gone.
    case cardSwapped(reader: String, atr: [UInt8])
    /// pcscd stopped answering; every reader and card is reported removed just after this.
    case serviceLost
    /// pcscd answers again; its readers and cards are reported added just after this.
    case serviceRestored

    public var description: String {
        switch self {
        case .readerAdded(let name): "reader added: \(name)"
        case .readerRemoved(let name): "reader removed: \(name)"
        case .cardInserted(let reader, let atr): "card inserted: \(reader) ATR \(atr.hexString)"
        case .cardRemoved(let reader): "card removed: \(reader)"
        case .cardSwapped(let reader, let atr): "card swapped: \(reader) ATR \(atr.hexString)"
        case .serviceLost: "pcscd lost"
        case .serviceRestored: "pcscd back"
        }
    }
}

/// Turns successive reader snapshots into events. Pure, so its rules are unit-tested.
public struct ReaderTracker: Sendable {
    private var known: [String: ReaderStatus] = [:]
    private var order: [String] = []

    public init() {}

    public mutating func update(_ readers: [ReaderStatus]) -> [ReaderEvent] {
        var events: [ReaderEvent] = []
        let names = Set(readers.map(\.name))
        for name in order where !names.contains(name) {
            if known[name]?.hasCard == true { events.append(.cardRemoved(reader: name)) }
            events.append(.readerRemoved(name))
            known[name] = nil
        }
        order.removeAll { !names.contains($0) }
        for reader in readers {
            guard let before = known[reader.name] else {
                events.append(.readerAdded(reader.name))
                if reader.hasCard { events.append(.cardInserted(reader: reader.name, atr: reader.atr)) }
                order.append(reader.name)
                known[reader.name] = reader
                continue
            }
            let moved = (reader.eventCount - before.eventCount) & 0xFFFF
            switch (before.hasCard, reader.hasCard) {
            case (false, true):
                events.append(.cardInserted(reader: reader.name, atr: reader.atr))
            case (true, false):
                events.append(.cardRemoved(reader: reader.name))
            case (true, true) where moved >= 2 || reader.atr != before.atr:
                events.append(.cardSwapped(reader: reader.name, atr: reader.atr))
            default:
                break
            }
            known[reader.name] = reader
        }
        return events
    }
}
