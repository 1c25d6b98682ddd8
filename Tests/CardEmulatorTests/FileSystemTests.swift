import Testing
@testable import CardEmulator

@Suite("File system layout")
struct FileSystemTests {
    static func transparent(_ path: String, sfi: UInt8? = nil, size: Int = 4) -> CardFile {
        CardFile(path: FilePath(path)!, shortID: sfi, content: .transparent(data: Array(repeating: 0, count: size)), access: .free)
    }

    static func df(_ path: String, name: [UInt8]? = nil) -> CardFile {
        CardFile(path: FilePath(path)!, content: .dedicated(name: name), access: AccessRules())
    }

    @Test("paths")
    func paths() {
        #expect(FilePath("3F00/DF01/0101")?.ids == [0x3F00, 0xDF01, 0x0101])
        #expect(FilePath("3F00DF01") == FilePath("3F00/DF01"))
        #expect(FilePath("3F00/DF01")?.parent == .masterFile)
        #expect(FilePath.masterFile.parent == nil)
        #expect(FilePath("DF01") == nil, "paths start at the MF")
        #expect(FilePath("3F00/3F00") == nil)
        #expect(FilePath("3F00/FFFF") == nil)
        #expect(FilePath("3F00/DF0") == nil)
        #expect(FilePath("3F00/DF01/0101")?.description == "3F00/DF01/0101")
    }

    @Test("creating files checks the layout", arguments: [
        (transparent("3F00/DF09/0001"), FileSystemError.parentMissing(FilePath("3F00/DF09/0001")!)),
        (transparent("3F00/2F01/0001"), .parentNotDedicated(FilePath("3F00/2F01/0001")!)),
        (transparent("3F00/2F01"), .alreadyExists(FilePath("3F00/2F01")!)),
        (transparent("3F00/2F09", sfi: 1), .duplicateShortID(FilePath("3F00/2F09")!, 1)),
        (transparent("3F00/2F09", sfi: 31), .invalidShortID(FilePath("3F00/2F09")!, 31)),
        (df("3F00/DF02", name: CardState.demoApplicationID), .duplicateName(FilePath("3F00/DF02")!)),
        (transparent("3F00/2F09", size: 40000), .invalidLayout(FilePath("3F00/2F09")!, "a transparent EF holds at most 32767 bytes")),
        (df("3F00/DF02", name: []), .invalidLayout(FilePath("3F00/DF02")!, "a DF name has 1 to 16 bytes")),
    ] as [(CardFile, FileSystemError)])
    func createErrors(file: CardFile, error: FileSystemError) {
        var fs = CardState.demo().fileSystem
        #expect(throws: error) { try fs.create(file) }
        #expect(!error.description.isEmpty)
    }

    @Test("record files must fit their layout")
    func recordLayout() {
        var fs = FileSystem()
        let tooMany = CardFile(path: FilePath("3F00/0001")!, content: .records(RecordFile(
            structure: .linearFixed, maxRecordLength: 2, maxRecords: 1, records: [[1, 2], [3, 4]])), access: .free)
        #expect(throws: FileSystemError.self) { try fs.create(tooMany) }
        let wrongLength = CardFile(path: FilePath("3F00/0001")!, content: .records(RecordFile(
            structure: .cyclic, maxRecordLength: 2, maxRecords: 3, records: [[1]])), access: .free)
        #expect(throws: FileSystemError.self) { try fs.create(wrongLength) }
        let zero = CardFile(path: FilePath("3F00/0001")!, content: .records(RecordFile(
            structure: .linearVariable, maxRecordLength: 0, maxRecords: 3)), access: .free)
        #expect(throws: FileSystemError.self) { try fs.create(zero) }
        #expect(fs.files.count == 1)
    }

    @Test("replacing a file's content keeps its kind and checks the new content")
    func replace() throws {
        var fs = CardState.demo().fileSystem
        let ef = FilePath("3F00/2F01")!
        try fs.replaceContent(of: ef, with: .transparent(data: [1, 2, 3]))
        #expect(fs[ef]?.content == .transparent(data: [1, 2, 3]))
        #expect(fs[ef]?.shortID == 1)
        #expect(throws: FileSystemError.self) { try fs.replaceContent(of: ef, with: .dedicated(name: nil)) }
        #expect(throws: FileSystemError.self) { try fs.replaceContent(of: ef, with: .transparent(data: Array(repeating: 0, count: 40_000))) }
        #expect(throws: FileSystemError.notFound(FilePath("3F00/2F99")!)) { try fs.replaceContent(of: FilePath("3F00/2F99")!, with: .transparent(data: [])) }
        let records = FilePath("3F00/2F03")!
        #expect(throws: FileSystemError.self) {
            try fs.replaceContent(of: records, with: .records(RecordFile(structure: .linearFixed, maxRecordLength: 16, maxRecords: 10, records: [[1]])))
        }
        try fs.replaceContent(of: FilePath("3F00/DF01")!, with: .dedicated(name: CardState.demoApplicationID))
    }

    @Test("deleting a DF deletes what is under it; the MF stays")
    func delete() throws {
        var fs = CardState.demo().fileSystem
        try fs.delete(FilePath("3F00/DF01")!)
        #expect(fs[FilePath("3F00/DF01/0101")!] == nil)
        #expect(fs[FilePath("3F00/2F01")!] != nil)
        #expect(throws: FileSystemError.notFound(FilePath("3F00/DF01")!)) { try fs.delete(FilePath("3F00/DF01")!) }
        #expect(throws: FileSystemError.masterFileNotDeletable) { try fs.delete(.masterFile) }
        #expect(fs.children(of: .masterFile).map(\.fileID) == [0x2F01, 0x2F02, 0x2F03, 0x2F04, 0x2F05])
    }
}
