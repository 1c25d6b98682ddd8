import Foundation
import SmartCard

/// How `permit readers` prints readers and events, as text or JSON.
enum ReadersOutput {
    static func table(_ readers: [ReaderStatus]) -> String {
        guard !readers.isEmpty else { return "No readers." }
        let width = readers.map(\.name.count).max() ?? 0
        return readers.map { reader in
            let name = reader.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let card = reader.hasCard ? "card   ATR \(reader.atr.hexString)" : "empty"
            let extra = reader.flags.names.filter { $0 != "present" && $0 != "empty" }
            return "\(name)  \(card)\(extra.isEmpty ? "" : "  (\(extra.joined(separator: ", ")))")"
        }.joined(separator: "\n")
    }

    static func json(_ readers: [ReaderStatus]) -> String {
        encode(["readers": readers.map { reader in
            ReaderJSON(name: reader.name, card: reader.hasCard, atr: reader.hasCard ? reader.atr.hexString : nil, state: reader.flags.names)
        }])
    }

    static func json(_ event: ReaderEvent) -> String {
        switch event {
        case .readerAdded(let name): encode(EventJSON(event: "readerAdded", reader: name))
        case .readerRemoved(let name): encode(EventJSON(event: "readerRemoved", reader: name))
        case .cardInserted(let reader, let atr): encode(EventJSON(event: "cardInserted", reader: reader, atr: atr.hexString))
        case .cardRemoved(let reader): encode(EventJSON(event: "cardRemoved", reader: reader))
        case .cardSwapped(let reader, let atr): encode(EventJSON(event: "cardSwapped", reader: reader, atr: atr.hexString))
        case .serviceLost: encode(EventJSON(event: "serviceLost"))
        case .serviceRestored: encode(EventJSON(event: "serviceRestored"))
        }
    }

    private struct ReaderJSON: Encodable {
        let name: String
        let card: Bool
        let atr: String?
        let state: [String]
    }

    private struct EventJSON: Encodable {
        let event: String
        var reader: String?
        var atr: String?
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
