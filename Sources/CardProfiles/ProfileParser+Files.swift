/// The names an access condition may use.
struct ReferenceContext {
    let keys: [String]
    let hasPIN: Bool
    var hasPUK = false
}

extension ProfileParser {
    /// File identifiers ISO/IEC 7816-4 reserves: the MF, "current DF" and the RFU value.
    static let reservedFIDs: Set<UInt16> = [0x3F00, 0x3FFF, 0xFFFF]
    /// Bytes of file-system overhead per file (header, access rules) counted against the card's memory.
    static let perFileOverhead = 32
    /// The command data of a write of `length` bytes under secure messaging (protocol v2 encrypts all data):
    /// DO'87' (header, padding indicator, data padded to whole 16-byte blocks) and DO'8E' with an 8-byte MAC.
    static func protectedLength(_ length: Int) -> Int {
        let value = 1 + (length / 16 + 1) * 16
        return (value < 128 ? 2 : value < 256 ? 3 : 4) + value + 10
    }

    func parseFiles(_ node: ProfileNode, references: ReferenceContext, card: CardIdentity, apdu: APDULimits) throws(ProfileError) -> [FileSpec] {
        var files: [FileSpec] = []
        var firstAt: [String: String] = [:]
        for item in try node.array(count: 1...64) {
            let spec = try parseFile(item, references: references, apdu: apdu)
            let identifiers = [("file name", spec.name, "name"), ("FID", hex(spec.fid), "fid"), ("content", spec.content.rawValue, "content")]
                + (spec.sfi.map { [("SFI", String($0), "sfi")] } ?? [])
            for (kind, value, key) in identifiers {
                let unique = kind + " " + value
                if let first = firstAt[unique] {
                    throw ProfileNode(value: .null, path: item.path.appending(key), file: file).failure(.duplicate(kind: kind, value: value, firstAt: first))
                }
                firstAt[unique] = item.path.appending(key).description
            }
            files.append(spec)
        }
        let missing = FileContent.allCases.filter { content in !files.contains { $0.content == content } }
        if !missing.isEmpty {
            throw node.failure(.inconsistent("no file holds \(missing.map(\.rawValue).joined(separator: ", ")); every content kind needs exactly one file"))
        }
        let used = files.reduce(0) { $0 + $1.structure.capacity + Self.perFileOverhead }
        if used > card.memory {
            throw node.failure(.impossibleSize("the files need \(used) bytes (data plus \(Self.perFileOverhead) per file) but card.memory is \(card.memory); shrink the files or raise card.memory"))
        }
        return files
    }

    private func hex(_ fid: UInt16) -> String {
        let digits = String(fid, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private func parseFile(_ node: ProfileNode, references: ReferenceContext, apdu: APDULimits) throws(ProfileError) -> FileSpec {
        let common = ["name", "fid", "sfi", "content", "structure", "access"]
        guard case .object(let members) = node.value else {
            throw node.failure(.wrongType(expected: "an object", found: node.value.typeName))
        }
        let kind = try ObjectReader(node: node, members: members).required("structure").oneOf(FileStructure.Kind.self)
        let sizeKeys = kind == .transparent ? ["size"] : ["recordLength", "recordCount"]
        let object = try node.object(allowing: common + sizeKeys)

        let name = try object.required("name").identifier()
        let fidNode = try object.required("fid")
        let fidBytes = try fidNode.hex(length: 2...2)
        let fid = UInt16(fidBytes[0]) << 8 | UInt16(fidBytes[1])
        if Self.reservedFIDs.contains(fid) {
            throw fidNode.failure(.badHex(try fidNode.string(), reason: "3F00 (MF), 3FFF and FFFF are reserved by ISO/IEC 7816-4; choose another FID"))
        }
        let sfi = try object.optional("sfi").map { node throws(ProfileError) in try node.int(in: 1...30) }
        let contentNode = try object.required("content")
        let content = try contentNode.oneOf(FileContent.self)
        let structureNode = try object.required("structure")
        guard kind == content.requiredKind else {
            throw structureNode.failure(.inconsistent("a \(content.rawValue) file must be \(content.requiredKind.rawValue) (docs/CARD-SPEC.md), not \(kind.rawValue)"))
        }
        let structure = try parseStructure(kind, object: object, content: content)
        if let length = structure.recordLength, Self.protectedLength(length) > apdu.maxCommandData {
            throw ProfileNode(value: .null, path: node.path.appending("recordLength"), file: file).failure(.impossibleSize(
                "a \(length)-byte record under secure messaging needs \(Self.protectedLength(length)) command bytes but apdu.maxCommandData is \(apdu.maxCommandData)"))
        }
        return FileSpec(
            name: name, fid: fid, sfi: sfi, content: content, structure: structure,
            access: try parseAccess(object.required("access"), operations: FileOperation.applicable(to: structure), references: references)
        )
    }

    private func parseStructure(_ kind: FileStructure.Kind, object: ObjectReader, content: FileContent) throws(ProfileError) -> FileStructure {
        if kind == .transparent {
            let sizeNode = try object.required("size")
            let size = try sizeNode.int(in: 0...Int.max)
            guard (1...32767).contains(size) else {
                throw sizeNode.failure(.impossibleSize("a transparent file holds 1 to 32767 bytes (15-bit offsets of READ/UPDATE BINARY), not \(size)"))
            }
            guard size >= content.minimumLength else {
                throw sizeNode.failure(.impossibleSize("a \(content.rawValue) file needs at least \(content.minimumLength) bytes (docs/CARD-SPEC.md), not \(size)"))
            }
            return .transparent(size: size)
        }
        let lengthNode = try object.required("recordLength")
        let length = try lengthNode.int(in: 0...Int.max)
        guard (1...255).contains(length) else {
            throw lengthNode.failure(.impossibleSize("a record holds 1 to 255 bytes (short records), not \(length)"))
        }
        guard length >= content.minimumLength else {
            throw lengthNode.failure(.impossibleSize("a \(content.rawValue) record needs at least \(content.minimumLength) bytes (docs/CARD-SPEC.md), not \(length)"))
        }
        let countNode = try object.required("recordCount")
        let count = try countNode.int(in: 0...Int.max)
        guard (1...254).contains(count) else {
            throw countNode.failure(.impossibleSize("a record file holds 1 to 254 records (record numbers 01 to FE), not \(count)"))
        }
        if let needed = content.requiredRecordCount, !needed.contains(count) {
            let expected = needed.count == 1 ? "exactly \(needed.lowerBound)" : "at least \(needed.lowerBound)"
            throw countNode.failure(.impossibleSize("a \(content.rawValue) file has \(expected) records (docs/CARD-SPEC.md), not \(count)"))
        }
        switch kind {
        case .linearFixed: return .linearFixed(recordLength: length, recordCount: count)
        case .linearVariable: return .linearVariable(recordLength: length, recordCount: count)
        case .cyclic, .transparent: return .cyclic(recordLength: length, recordCount: count)
        }
    }

    private func parseAccess(_ node: ProfileNode, operations: [FileOperation], references: ReferenceContext) throws(ProfileError) -> [FileOperation: AccessRule] {
        let object = try node.object(allowing: operations.map(\.rawValue))
        var rules: [FileOperation: AccessRule] = [:]
        for operation in operations {
            rules[operation] = try parseRule(object.required(operation.rawValue), references: references)
        }
        return rules
    }

    func parseCommands(_ node: ProfileNode, references: ReferenceContext) throws(ProfileError) -> [ApplicationCommand: AccessRule] {
        let object = try node.object(allowing: ApplicationCommand.allCases.map(\.rawValue))
        var rules: [ApplicationCommand: AccessRule] = [:]
        for command in ApplicationCommand.allCases {
            rules[command] = try parseRule(object.required(command.rawValue), references: references)
        }
        for command in [ApplicationCommand.setPin, .verifyPin, .changePin, .unblockPin] where !references.hasPIN && rules[command] != AccessRule(.never) {
            throw ProfileNode(value: .null, path: node.path.appending(command.rawValue), file: file)
                .failure(.inconsistent("the profile has no pin section, so \(command.rawValue) must be \"never\"; add a pin section or write never"))
        }
        if references.hasPIN, !references.hasPUK, rules[.unblockPin] != AccessRule(.never) {
            throw ProfileNode(value: .null, path: node.path.appending("unblockPin"), file: file)
                .failure(.inconsistent("the pin section has no puk, so unblockPin must be \"never\" (only the holder's PUK unblocks the PIN); add pin.puk or write never"))
        }
        return rules
    }

    /// A rule is one condition for both phases, or `{"personalisation": ..., "operational": ...}`.
    private func parseRule(_ node: ProfileNode, references: ReferenceContext) throws(ProfileError) -> AccessRule {
        if case .object = node.value {
            let object = try node.object(allowing: CardPhase.allCases.map(\.rawValue))
            return AccessRule(
                personalisation: try parseCondition(object.required(CardPhase.personalisation.rawValue), references: references),
                operational: try parseCondition(object.required(CardPhase.operational.rawValue), references: references)
            )
        }
        guard case .string = node.value else {
            throw node.failure(.wrongType(expected: "an access condition string or an object with personalisation and operational", found: node.value.typeName))
        }
        return AccessRule(try parseCondition(node, references: references))
    }

    private func parseCondition(_ node: ProfileNode, references: ReferenceContext) throws(ProfileError) -> AccessCondition {
        let text = try node.string()
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "always" { return .always }
        if trimmed == "never" { return .never }
        var alternatives: [Set<Credential>] = []
        for term in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
            var credentials: Set<Credential> = []
            for factor in term.split(separator: "&", omittingEmptySubsequences: false) {
                let name = factor.trimmingCharacters(in: .whitespaces)
                if name.isEmpty {
                    throw node.failure(.badAccessCondition(text, reason: "an operand of & or | is empty"))
                }
                if name == "always" || name == "never" {
                    throw node.failure(.badAccessCondition(text, reason: "\(name) cannot be combined with other credentials"))
                }
                if name == "pin" {
                    guard references.hasPIN else {
                        throw node.failure(.danglingReference(kind: "PIN (the profile has no pin section)", name: name, known: references.keys))
                    }
                    credentials.insert(.pin)
                } else {
                    guard references.keys.contains(name) else {
                        throw node.failure(.danglingReference(kind: "key", name: name, known: references.keys + (references.hasPIN ? ["pin"] : [])))
                    }
                    credentials.insert(.key(name))
                }
            }
            alternatives.append(credentials)
        }
        return AccessCondition(anyOf: alternatives)
    }

    func parseSecurityObject(_ node: ProfileNode, files: [FileSpec]) throws(ProfileError) -> [String] {
        let coversNode = try node.object(allowing: ["covers"]).required("covers")
        var covers: [String] = []
        for item in try coversNode.array(count: 1...16) {
            let name = try item.identifier()
            guard let target = files.first(where: { $0.name == name }) else {
                throw item.failure(.danglingReference(kind: "file", name: name, known: files.map(\.name)))
            }
            if let first = covers.firstIndex(of: name) {
                throw item.failure(.duplicate(kind: "covered file", value: name, firstAt: coversNode.path.appending(first).description))
            }
            guard target.structure.kind == .transparent, target.content != .securityObject else {
                throw item.failure(.inconsistent("the security object hashes only static transparent files, and never itself; \(name) is \(target.content.rawValue) (record files carry their own signatures)"))
            }
            covers.append(name)
        }
        for file in files where file.content.mustBeCoveredBySecurityObject && !covers.contains(file.name) {
            throw coversNode.failure(.inconsistent("the security object must cover \(file.name) (\(file.content.rawValue)), otherwise it could be altered unseen; add \"\(file.name)\""))
        }
        return covers
    }
}
