import Testing
@testable import SmartCard

@Suite("Reader events from successive snapshots")
struct ReaderTrackerTests {
    private func reader(_ name: String, card atr: [UInt8]? = nil, count: Int = 0) -> ReaderStatus {
        ReaderStatus(name: name, flags: atr == nil ? .empty : .present, atr: atr ?? [], eventCount: count)
    }

    @Test("the first look announces readers and present cards")
    func initial() {
        var tracker = ReaderTracker()
        #expect(tracker.update([reader("A"), reader("B", card: [0x3B], count: 1)]) == [
            .readerAdded("A"), .readerAdded("B"), .cardInserted(reader: "B", atr: [0x3B]),
        ])
        #expect(tracker.update([reader("A"), reader("B", card: [0x3B], count: 1)]).isEmpty)
    }

    @Test("insertion, removal and reader departure")
    func changes() {
        var tracker = ReaderTracker()
        _ = tracker.update([reader("A")])
        #expect(tracker.update([reader("A", card: [1], count: 1)]) == [.cardInserted(reader: "A", atr: [1])])
        #expect(tracker.update([reader("A", count: 2)]) == [.cardRemoved(reader: "A")])
        _ = tracker.update([reader("A", card: [1], count: 3)])
        #expect(tracker.update([]) == [.cardRemoved(reader: "A"), .readerRemoved("A")])
    }

    @Test("a swap between two looks shows by event count or ATR", arguments: [
        ([UInt8]([1]), 3, true), ([2], 1, true), ([1], 1, false), ([1], 65_537, false), ([1], 65_539, true),
    ])
    func swap(atr: [UInt8], count: Int, swapped: Bool) {
        var tracker = ReaderTracker()
        _ = tracker.update([reader("A", card: [1], count: 1)])
        let events = tracker.update([reader("A", card: atr, count: count & 0xFFFF)])
        #expect(events == (swapped ? [.cardSwapped(reader: "A", atr: atr)] : []))
    }
}
