import Lifecycle

/// Walks a profile's JSON strictly: every key known, every type right, every reference resolved.
/// Each failure names the file, the JSON path and what to fix.
struct ProfileParser {
    let file: String
    let expectedName: String?

    static let formatVersion = 1
    static let topLevelKeys = [
        "format", "profile", "version", "released", "region", "regionCode", "card", "apdu", "crypto", "pin",
        "keys", "files", "commands", "securityObject", "policy", "verification",
    ]

    func parse(_ value: JSONValue) throws(ProfileError) -> CardProfile {
        let root = try ProfileNode(value: value, path: JSONPath(), file: file).object(allowing: Self.topLevelKeys)

        let format = try root.required("format")
        guard try format.int(in: 1...Int.max) == Self.formatVersion else {
            throw format.failure(.inconsistent("this software reads profile format \(Self.formatVersion); convert the profile or update the software"))
        }
        let nameNode = try root.required("profile")
        let name = try nameNode.identifier()
        if let expectedName, expectedName != name {
            throw nameNode.failure(.inconsistent("the profile is named \"\(name)\" but its file is \(expectedName).json; rename one so they match"))
        }
        let regionCodeNode = try root.required("regionCode")
        let regionCode = try regionCodeNode.string()
        guard regionCode.count == 6, regionCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw regionCodeNode.failure(.badText(regionCode, rule: "a region code is the 6-digit GB/T 2260 division code, e.g. 330000"))
        }

        let keys = try parseKeys(root.required("keys"))
        let pin = try root.optional("pin").map { node throws(ProfileError) in try parsePIN(node) }
        let apdu = try parseAPDU(root.required("apdu"))
        let card = try parseCard(root.required("card"))
        let references = ReferenceContext(keys: keys.map(\.name), hasPIN: pin != nil, hasPUK: pin?.puk != nil)
        let files = try parseFiles(root.required("files"), references: references, card: card, apdu: apdu)
        let commands = try parseCommands(root.required("commands"), references: references)
        let covers = try parseSecurityObject(root.required("securityObject"), files: files)

        return CardProfile(
            name: name,
            version: try root.required("version").int(in: 1...65535),
            released: try root.required("released").date(),
            region: try root.required("region").text(),
            regionCode: regionCode,
            card: card,
            apdu: apdu,
            suite: try parseCrypto(root.required("crypto")),
            pin: pin,
            keys: keys,
            files: files,
            commands: commands,
            securityObjectCovers: covers,
            policy: try PolicyParser.parse(root.required("policy")),
            statusListMaxAgeDays: try root.optional("verification").map { node throws(ProfileError) in
                try node.object(allowing: ["statusListMaxAgeDays"]).required("statusListMaxAgeDays").int(in: 1...366)
            } ?? CardProfile.defaultStatusListMaxAgeDays
        )
    }

    private func parseCard(_ node: ProfileNode) throws(ProfileError) -> CardIdentity {
        let object = try node.object(allowing: ["atr", "atrMask", "aid", "memory"])
        let atrNode = try object.required("atr")
        let atr = try atrNode.hex(length: 2...33)
        guard atr[0] == 0x3B || atr[0] == 0x3F else {
            throw atrNode.failure(.badHex(try atrNode.string(), reason: "an ATR starts with TS = 3B (direct) or 3F (inverse convention)"))
        }
        let mask = try object.optional("atrMask").map { node throws(ProfileError) in try node.hex(length: atr.count...atr.count) }
        let aidNode = try object.required("aid")
        let aid = try aidNode.hex(length: 5...16)
        guard [0xA, 0xD, 0xF].contains(aid[0] >> 4) else {
            throw aidNode.failure(.badHex(try aidNode.string(), reason: "an AID's first digit is A (international RID), D (national RID, e.g. D156 for China) or F (proprietary)"))
        }
        return CardIdentity(atr: atr, atrMask: mask, aid: aid, memory: try object.required("memory").int(in: 1024...1_048_576))
    }

    private func parseAPDU(_ node: ProfileNode) throws(ProfileError) -> APDULimits {
        let object = try node.object(allowing: ["extendedLength", "maxCommandData", "maxResponseData"])
        let extended = try object.required("extendedLength").bool()
        return APDULimits(
            extendedLength: extended,
            maxCommandData: try object.required("maxCommandData").int(in: 1...(extended ? 65535 : 255)),
            maxResponseData: try object.required("maxResponseData").int(in: 1...(extended ? 65536 : 256))
        )
    }

    private func parseCrypto(_ node: ProfileNode) throws(ProfileError) -> CryptoSuite {
        try node.object(allowing: ["suite"]).required("suite").oneOf(CryptoSuite.self)
    }

    private func parsePIN(_ node: ProfileNode) throws(ProfileError) -> PINPolicy {
        let object = try node.object(allowing: ["minLength", "maxLength", "retryLimit", "reference", "puk"])
        let minLength = try object.required("minLength").int(in: 4...12)
        let reference = try object.required("reference").int(in: 1...31)
        let puk = try object.optional("puk").map { node throws(ProfileError) -> PUKPolicy in
            let puk = try node.object(allowing: ["length", "retryLimit", "reference"])
            let pukReference = try puk.required("reference")
            let policy = PUKPolicy(
                length: try puk.required("length").int(in: 6...16), retryLimit: try puk.required("retryLimit").int(in: 1...15),
                reference: try pukReference.int(in: 1...31))
            guard policy.reference != reference else {
                throw pukReference.failure(.inconsistent("the PUK needs a reference of its own, not the PIN's (\(reference))"))
            }
            return policy
        }
        return PINPolicy(
            minLength: minLength,
            maxLength: try object.required("maxLength").int(in: minLength...12),
            retryLimit: try object.required("retryLimit").int(in: 1...15),
            reference: reference,
            puk: puk
        )
    }

    private func parseKeys(_ node: ProfileNode) throws(ProfileError) -> [KeySpec] {
        var keys: [KeySpec] = []
        var firstNameAt: [String: String] = [:]
        var firstNumberAt: [Int: String] = [:]
        var firstRoleAt: [KeyRole: String] = [:]
        for item in try node.array(count: 1...31) {
            let object = try item.object(allowing: ["name", "role", "number", "version", "master", "diversification", "previous"])
            let nameNode = try object.required("name")
            let name = try nameNode.identifier()
            guard name != "pin", name != "always", name != "never" else {
                throw nameNode.failure(.badText(name, rule: "always, never and pin are reserved words of access conditions; choose another key name"))
            }
            if let first = firstNameAt[name] { throw nameNode.failure(.duplicate(kind: "key name", value: name, firstAt: first)) }
            firstNameAt[name] = nameNode.path.description
            let roleNode = try object.required("role")
            let role = try roleNode.oneOf(KeyRole.self)
            if let first = firstRoleAt[role] {
                throw roleNode.failure(.duplicate(kind: "role", value: role.rawValue, firstAt: first))
            }
            firstRoleAt[role] = roleNode.path.description
            let numberNode = try object.required("number")
            let number = try numberNode.int(in: 1...31)
            if let first = firstNumberAt[number] { throw numberNode.failure(.duplicate(kind: "key number", value: String(number), firstAt: first)) }
            firstNumberAt[number] = numberNode.path.description
            let version = try object.required("version").int(in: 0...255)
            keys.append(KeySpec(
                name: name, role: role, number: number, version: version,
                master: try object.required("master").identifier(maxLength: 64),
                diversification: try parseDiversification(object.required("diversification")),
                previous: try object.optional("previous").map { node throws(ProfileError) in try parsePrevious(node, current: version) } ?? [:]
            ))
        }
        guard keys.contains(where: { $0.role == .issuingStation }) else {
            throw node.failure(.inconsistent("no key has the role issuingStation, so no card of this profile could be personalised; add one"))
        }
        return keys
    }

    /// `previous`: `[{"version": N, "master": LABEL}, ...]`, versions below the current one, each once.
    private func parsePrevious(_ node: ProfileNode, current: Int) throws(ProfileError) -> [Int: String] {
        var previous: [Int: String] = [:]
        for item in try node.array(count: 1...8) {
            let object = try item.object(allowing: ["version", "master"])
            let versionNode = try object.required("version")
            let version = try versionNode.int(in: 0...255)
            guard version < current else {
                throw versionNode.failure(.inconsistent("a previous version must be below the current version \(current); raise version or correct this one"))
            }
            guard previous[version] == nil else {
                throw versionNode.failure(.duplicate(kind: "previous key version", value: String(version), firstAt: node.path.description))
            }
            previous[version] = try object.required("master").identifier(maxLength: 64)
        }
        return previous
    }

    private func parseDiversification(_ node: ProfileNode) throws(ProfileError) -> Diversification {
        let object = try node.object(allowing: ["algorithm", "label", "context"])
        let labelNode = try object.required("label")
        let label = try labelNode.string()
        guard (1...32).contains(label.count), label.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw labelNode.failure(.badText(label, rule: "a derivation label is 1 to 32 printable ASCII characters without spaces, e.g. PS-ISSUE"))
        }
        let contextNode = try object.required("context")
        var context: [DiversificationInput] = []
        for item in try contextNode.array(count: 1...4) {
            let input = try item.oneOf(DiversificationInput.self)
            if let first = context.firstIndex(of: input) {
                throw item.failure(.duplicate(kind: "context input", value: input.rawValue, firstAt: contextNode.path.appending(first).description))
            }
            context.append(input)
        }
        guard context.contains(.cardSerial) else {
            throw contextNode.failure(.inconsistent("the context must include cardSerial, otherwise every card would get the same key; add \"cardSerial\""))
        }
        return Diversification(algorithm: try object.required("algorithm").oneOf(Diversification.Algorithm.self), label: label, context: context)
    }
}
