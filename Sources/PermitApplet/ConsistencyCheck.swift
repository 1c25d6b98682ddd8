import CardEmulator

/// The card-side consistency checks of the operational phase (CARD-SPEC §7.16). The card does not
/// verify signatures, but it refuses record writes that would break the rules of §5-§6, so a faulty
/// station cannot damage a card: `6985` when the card's state forbids the write, `6A80` when the
/// record's own fields are wrong. Records have already been checked to be exactly one record long.
enum ConsistencyCheck {
    /// Status codes after which nothing more is written: `03` cancelled, `04` replaced (void).
    static let finalStatuses: Set<UInt8> = [0x03, 0x04]

    /// APPEND RECORD EF.STATUS: format `01`, status `01`-`04`, sequence = newest + 1; not after a final status.
    static func statusAppend(_ record: [UInt8], newest: [UInt8]?) throws(StatusWord) {
        if let newest, finalStatuses.contains(newest[3]) { throw .conditionsOfUseNotSatisfied }
        guard record[0] == 0x01, (0x01...0x04).contains(record[3]),
              sequence(record) == sequence(newest) + 1
        else { throw .incorrectData }
    }

    /// APPEND RECORD EF.ENDORSE: format `01`, number = records + 1, class `01`-`03`, status sequence =
    /// the newest status record's; not after a final status.
    static func endorsementAppend(_ record: [UInt8], existing: Int, newestStatus: [UInt8]?) throws(StatusWord) {
        if let newestStatus, finalStatuses.contains(newestStatus[3]) { throw .conditionsOfUseNotSatisfied }
        guard record[0] == 0x01, Int(record[1]) == existing + 1, (0x01...0x03).contains(record[2]),
              sequence(record, at: 3) == sequence(newestStatus)
        else { throw .incorrectData }
    }

    /// UPDATE RECORD EF.RESIDENCE: never the slot holding the current address, nor after a final status;
    /// format `02`, sequence = the higher slot sequence + 1, status sequence = the newest status record's.
    static func residenceUpdate(_ record: [UInt8], slot: Int, slots: [[UInt8]], newestStatus: [UInt8]?) throws(StatusWord) {
        if let newestStatus, finalStatuses.contains(newestStatus[3]) { throw .conditionsOfUseNotSatisfied }
        let valid = slots.enumerated().filter { $0.element[0] == residenceFormat }
        let current = valid.max { sequence($0.element) < sequence($1.element) }
        if let current, current.offset + 1 == slot { throw .conditionsOfUseNotSatisfied }
        let highest = valid.map { sequence($0.element) }.max() ?? 0
        guard record[0] == residenceFormat, sequence(record) == highest + 1, sequence(record, at: 3) == sequence(newestStatus)
        else { throw .incorrectData }
    }

    /// The format byte of a residence record of protocol v2 (it carries a status sequence).
    static let residenceFormat: UInt8 = 0x02

    /// The 2-byte sequence number at `offset` (bytes 1-2 of status and residence records); 0 for no record.
    static func sequence(_ record: [UInt8]?, at offset: Int = 1) -> Int {
        guard let record, record.count >= offset + 2 else { return 0 }
        return Int(record[offset]) << 8 | Int(record[offset + 1])
    }
}
