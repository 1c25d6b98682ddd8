extension CardState {
    /// The demo card's application identifier (a proprietary "D" AID: D156 = China, then "PSTN DEMO").
    public static let demoApplicationID: [UInt8] = [0xD1, 0x56, 0x00, 0x00, 0x99] + Array("DEMO".utf8)

    /// A fresh generic ISO card with a small demo file system (docs/EMULATOR.md, "The demo card"):
    ///
    /// | path | structure | SFI | access |
    /// |---|---|---|---|
    /// | 3F00/2F01 | transparent, 256 bytes of 00 | 1 | free |
    /// | 3F00/2F02 | transparent, 4096 bytes of 00 (extended length, chaining) | 2 | free |
    /// | 3F00/2F03 | linear fixed, 10 records of 16 bytes, empty | 3 | free |
    /// | 3F00/2F04 | cyclic, 5 records of 8 bytes, empty | 4 | free |
    /// | 3F00/2F05 | linear variable, 10 records of up to 32 bytes, empty | 5 | free |
    /// | 3F00/DF01 | DF named `demoApplicationID` | | |
    /// | 3F00/DF01/0101 | transparent, "PermitStation demo card" | 1 | read only |
    /// | 3F00/DF01/0102 | transparent, 16 bytes | 2 | never (answers 6982) |
    public static func demo(atr: ATR = .standard) -> CardState {
        var fs = FileSystem(masterFileAccess: .free)
        let files: [CardFile] = [
            CardFile(path: FilePath("3F00/2F01")!, shortID: 1, content: .transparent(data: Array(repeating: 0, count: 256)), access: .free),
            CardFile(path: FilePath("3F00/2F02")!, shortID: 2, content: .transparent(data: Array(repeating: 0, count: 4096)), access: .free),
            CardFile(path: FilePath("3F00/2F03")!, shortID: 3,
                     content: .records(RecordFile(structure: .linearFixed, maxRecordLength: 16, maxRecords: 10)), access: .free),
            CardFile(path: FilePath("3F00/2F04")!, shortID: 4,
                     content: .records(RecordFile(structure: .cyclic, maxRecordLength: 8, maxRecords: 5)), access: .free),
            CardFile(path: FilePath("3F00/2F05")!, shortID: 5,
                     content: .records(RecordFile(structure: .linearVariable, maxRecordLength: 32, maxRecords: 10)), access: .free),
            CardFile(path: FilePath("3F00/DF01")!, content: .dedicated(name: demoApplicationID), access: AccessRules()),
            CardFile(path: FilePath("3F00/DF01/0101")!, shortID: 1,
                     content: .transparent(data: Array("PermitStation demo card".utf8)), access: .readOnly),
            CardFile(path: FilePath("3F00/DF01/0102")!, shortID: 2,
                     content: .transparent(data: Array(repeating: 0, count: 16)), access: AccessRules()),
        ]
        for file in files {
            // A fixed layout that satisfies every rule of `create`.
            try! fs.create(file)
        }
        return CardState(atr: atr, fileSystem: fs)
    }
}
