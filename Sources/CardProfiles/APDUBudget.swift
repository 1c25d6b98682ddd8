/// The APDUs each operation of docs/CARD-SPEC.md §10 sends to a card of a given profile, with their
/// sizes on the wire: the model that benchmarks put beside measured counts and times, and that tests
/// hold against the issue's targets (a profile edit that breaks a target fails a test).
public enum APDUBudget {
    public enum Operation: String, Sendable, CaseIterable {
        case issue, verify, statusCheck, endorse, changeAddress, statusChange, unblockPIN
    }

    /// One APDU: what it is and its command and response bytes (status word included).
    public struct Step: Sendable, Hashable {
        public let command: String
        public let commandBytes: Int
        public let responseBytes: Int
    }

    /// The issue's targets (issue #3, Speed): most APDUs per operation.
    public static let targets: [Operation: Int] = [.issue: 25, .verify: 8, .endorse: 6]

    /// Modelled time on a real contactless chip (BRIEF §4).
    public static let millisecondsPerAPDU = 20

    /// The APDUs of `operation` on a card of `profile` holding `endorsements` endorsement records.
    public static func plan(_ operation: Operation, profile: CardProfile, endorsements: Int = 2) -> [Step] {
        Planner(profile: profile).plan(operation, endorsements: endorsements)
    }
}

/// Builds the sequences of docs/CARD-SPEC.md §10 with the encodings of §4, §5 and §7.
private struct Planner {
    let profile: CardProfile

    /// Secure-messaging response of a write: DO'99' (4) + DO'8E' (10) + 90 00.
    static let protectedStatusOnly = 16
    static let macObject = 10

    func plan(_ operation: APDUBudget.Operation, endorsements: Int) -> [APDUBudget.Step] {
        let holder = profile.file(holding: .holder)
        let residence = profile.file(holding: .residence)
        let endorse = profile.file(holding: .endorsements)
        switch operation {
        case .issue:
            var steps = [select(fci: blankFCI), challenge, authenticate, generate]
            for key in profile.keys where key.role != .issuingStation { steps.append(protected("PUT KEY \(key.name)", length: 16, encrypted: true)) }
            if let pin = profile.pin { steps.append(protected("CHANGE REFERENCE DATA (set PIN)", length: pin.maxLength, encrypted: true)) }
            steps += write("UPDATE BINARY EF.CARD", length: profile.file(holding: .cardInfo).structure.capacity - 9)
            steps += write("UPDATE BINARY EF.HOLDER", length: holder.structure.capacity)
            steps.append(protected("UPDATE RECORD EF.RESIDENCE", length: residence.structure.recordLength!))
            steps.append(protected("APPEND RECORD EF.STATUS", length: profile.file(holding: .status).structure.recordLength!))
            steps += write("UPDATE BINARY EF.SOD", length: profile.file(holding: .securityObject).structure.capacity)
            steps.append(protected("ACTIVATE FILE (finalise)", length: 0))
            steps.append(internalAuthenticate)
            return steps
        case .verify:
            let needsTerminal = [holder, residence].contains { !($0.access[.read]?.operational.isSatisfied(by: []) ?? false) }
            return [select(fci: operationalFCI)] + (needsTerminal ? [challenge, authenticate] : [])
                + read("READ BINARY EF.HOLDER", length: holder.structure.capacity)
                + readRecords("READ RECORD EF.RESIDENCE", file: residence, count: 2)
                + readRecords("READ RECORD EF.ENDORSE", file: endorse, count: endorsements)
                + read("READ BINARY EF.SOD", length: profile.file(holding: .securityObject).structure.capacity)
                + [internalAuthenticate]
        case .statusCheck:
            return [select(fci: operationalFCI)]
        case .endorse:
            var steps = [select(fci: operationalFCI)] + readRecords("READ RECORD EF.ENDORSE", file: endorse, count: endorsements)
            steps += [challenge, authenticate]
            if endorsingNeedsPIN(endorse), let pin = profile.pin {
                steps.append(protected("VERIFY PIN", length: pin.maxLength, encrypted: true))
            }
            steps.append(protected("APPEND RECORD EF.ENDORSE", length: endorse.structure.recordLength!))
            return steps
        case .changeAddress:
            // Authenticated before the read: the residence file needs a key to read (and the
            // issuing key to write) in every shipped profile.
            return [select(fci: operationalFCI), challenge, authenticate] + readRecords("READ RECORD EF.RESIDENCE", file: residence, count: 2)
                + [protected("UPDATE RECORD EF.RESIDENCE", length: residence.structure.recordLength!)]
        case .statusChange:
            return [select(fci: operationalFCI), challenge, authenticate,
                    protected("APPEND RECORD EF.STATUS", length: profile.file(holding: .status).structure.recordLength!)]
        case .unblockPIN:
            return [select(fci: operationalFCI), challenge, authenticate,
                    protected("RESET RETRY COUNTER", length: profile.pin?.maxLength ?? 0, encrypted: profile.pin != nil)]
        }
    }

    /// Whether the endorsing station's key alone is not enough but the key with the PIN is.
    private func endorsingNeedsPIN(_ file: FileSpec) -> Bool {
        guard let rule = file.access[.append]?.operational, let key = profile.key(for: .endorsingStation) else { return false }
        return !rule.isSatisfied(by: [.key(key.name)]) && rule.isSatisfied(by: [.key(key.name), .pin])
    }

    // MARK: Encodings

    static func objectLength(_ valueLength: Int) -> Int {
        valueLength + (valueLength < 128 ? 2 : valueLength < 256 ? 3 : 4)
    }

    /// Command APDU size for `dataLength` bytes of data and an expected response of `expected` bytes (0: none).
    func commandBytes(data dataLength: Int, expected: Int) -> Int {
        let short = dataLength <= 255 && expected <= 256
        if short { return 4 + (dataLength > 0 ? 1 + dataLength : 0) + (expected > 0 ? 1 : 0) }
        return 4 + (dataLength > 0 ? 3 + dataLength : 0) + (expected > 0 ? (dataLength > 0 ? 2 : 3) : 0)
    }

    var operationalFCI: Int {
        var proprietary = Self.objectLength(profile.file(holding: .cardInfo).structure.capacity)
            + Self.objectLength(profile.file(holding: .chipPublicKey).structure.capacity)
            + Self.objectLength(profile.file(holding: .status).structure.recordLength!)
        if profile.pin != nil { proprietary += 3 }
        return Self.objectLength(3 + Self.objectLength(proprietary))
    }

    var blankFCI: Int {
        Self.objectLength(3 + Self.objectLength(Self.objectLength(profile.file(holding: .cardInfo).structure.capacity)))
    }

    func select(fci: Int) -> APDUBudget.Step {
        .init(command: "SELECT AID", commandBytes: commandBytes(data: profile.card.aid.count, expected: 256), responseBytes: fci + 2)
    }

    var challenge: APDUBudget.Step { .init(command: "GET CHALLENGE", commandBytes: 5, responseBytes: 10) }
    var authenticate: APDUBudget.Step { .init(command: "EXTERNAL AUTHENTICATE", commandBytes: commandBytes(data: 24, expected: 0), responseBytes: 2) }
    var internalAuthenticate: APDUBudget.Step {
        .init(command: "INTERNAL AUTHENTICATE", commandBytes: commandBytes(data: 16, expected: 256), responseBytes: 66)
    }

    var generate: APDUBudget.Step {
        let chipKey = profile.file(holding: .chipPublicKey).structure.capacity
        return .init(command: "GENERATE ASYMMETRIC KEY PAIR", commandBytes: commandBytes(data: 3 + Self.macObject, expected: 256),
                     responseBytes: Self.objectLength(chipKey) + Self.protectedStatusOnly)
    }

    /// One protected command carrying `length` data bytes (DO'81', or DO'87' when encrypted).
    func protected(_ name: String, length: Int, encrypted: Bool = false) -> APDUBudget.Step {
        let value = encrypted ? 1 + (length / 16 + 1) * 16 : length
        let body = (length > 0 || encrypted ? Self.objectLength(value) : 0) + Self.macObject
        return .init(command: name, commandBytes: commandBytes(data: body, expected: 256), responseBytes: Self.protectedStatusOnly)
    }

    /// A protected transparent write, cut into the largest chunks one command can carry.
    func write(_ name: String, length: Int) -> [APDUBudget.Step] {
        var chunk = profile.apdu.maxCommandData - Self.macObject
        while chunk > 0, Self.objectLength(chunk) + Self.macObject > profile.apdu.maxCommandData { chunk -= 1 }
        return stride(from: 0, to: length, by: chunk).map { protected(name, length: min(chunk, length - $0)) }
    }

    var maxResponse: Int { min(profile.apdu.maxResponseData, profile.apdu.extendedLength ? 65536 : 256) }

    func read(_ name: String, length: Int) -> [APDUBudget.Step] {
        stride(from: 0, to: length, by: maxResponse).map { offset in
            let part = min(maxResponse, length - offset)
            return .init(command: name, commandBytes: commandBytes(data: 0, expected: maxResponse), responseBytes: part + 2)
        }
    }

    func readRecords(_ name: String, file: FileSpec, count: Int) -> [APDUBudget.Step] {
        let length = file.structure.recordLength!
        guard count > 0 else { return [.init(command: name, commandBytes: commandBytes(data: 0, expected: maxResponse), responseBytes: 2)] }
        let perAPDU = max(1, maxResponse / length)
        return stride(from: 0, to: count, by: perAPDU).map { first in
            .init(command: name, commandBytes: commandBytes(data: 0, expected: maxResponse), responseBytes: min(perAPDU, count - first) * length + 2)
        }
    }
}
