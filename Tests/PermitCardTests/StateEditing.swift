import CardEmulator
import CardProfiles

/// Changes a card's stored bytes behind the application's back: what a forger with a programmable
/// card or a memory dump could do, used to show verification catches it.
extension CardState {
    func editing(file sfi: UInt8, aid: [UInt8], _ change: (inout CardFile.Content) -> Void) throws -> CardState {
        var copy = self
        let application = try #require(copy.fileSystem.dedicatedFiles(namePrefix: aid).first).path
        var file = try #require(copy.fileSystem.elementaryFile(shortID: sfi, in: application))
        change(&file.content)
        try copy.fileSystem.delete(file.path)
        try copy.fileSystem.create(file)
        return copy
    }

    /// The bytes of a transparent file, or the records of a record file.
    func contents(of sfi: UInt8, aid: [UInt8]) -> CardFile.Content? {
        guard let application = fileSystem.dedicatedFiles(namePrefix: aid).first?.path else { return nil }
        return fileSystem.elementaryFile(shortID: sfi, in: application)?.content
    }
}

import Testing
