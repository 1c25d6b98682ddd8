import CardSecurity
import Lifecycle

/// One verdict per check of CARD-SPEC §10.2, in the order a field officer reads them.
public struct VerificationReport: Sendable {
    public enum Check: String, Sendable, CaseIterable, Codable {
        case product, complete, authoritySignature, dataIntegrity, chipAuthentication
        case residence, endorsements, status, dates, statusList

        /// How the check is named in human output.
        public var title: String {
            switch self {
            case .product: "product"
            case .complete: "complete"
            case .authoritySignature: "authority signature"
            case .dataIntegrity: "data integrity"
            case .chipAuthentication: "chip authentication"
            case .residence: "residence"
            case .endorsements: "endorsements"
            case .status: "status"
            case .dates: "dates"
            case .statusList: "status list"
            }
        }
    }

    public let serial: CardSerial
    public let verdicts: [(check: Check, verdict: Verdict)]
    /// The status list the verdicts relied on, with its age and the maximum accepted (nil: none carried).
    public let statusList: StatusListFreshness?

    public init(serial: CardSerial, verdicts: [(check: Check, verdict: Verdict)], statusList: StatusListFreshness?) {
        self.serial = serial
        self.verdicts = verdicts
        self.statusList = statusList
    }

    public var passed: Bool { verdicts.allSatisfy { $0.verdict.isPassed } }

    public subscript(_ check: Check) -> Verdict? { verdicts.first { $0.check == check }?.verdict }

    /// The failures, each with its reason.
    public var failures: [(check: Check, reason: String)] {
        verdicts.compactMap { entry in
            if case .failed(let reason) = entry.verdict { return (entry.check, reason) }
            return nil
        }
    }

    /// Throws the error that says what kind of card this is when any check failed: forged data,
    /// a copy, an incomplete card, or a permit that is not valid today.
    public func requireValid() throws(PermitCardError) {
        guard let first = failures.first else { return }
        // A chip that did not authenticate is a copy, whatever else could not be checked because of it.
        if first.check != .complete, case .failed(let reason)? = self[.chipAuthentication] { throw .copiedCard(reason: reason) }
        switch first.check {
        case .complete: throw .cardIncomplete(serial: serial)
        case .authoritySignature, .dataIntegrity, .residence, .endorsements:
            throw .forgedData(check: first.check.title, reason: first.reason)
        case .chipAuthentication: throw .copiedCard(reason: first.reason)
        case .product, .status, .dates, .statusList: throw .notValid(check: first.check.title, reason: first.reason)
        }
    }
}

/// How old the status list a verification relied on is, against the maximum age the verifier accepts
/// (the profile's `verification.statusListMaxAgeDays` unless the terminal sets its own).
public struct StatusListFreshness: Sendable, Hashable, CustomStringConvertible {
    public let sequence: UInt32
    public let issuedOn: CalendarDate
    /// Days from its day of issue to the day of verification.
    public let ageDays: Int
    public let maxAgeDays: Int

    public init(sequence: UInt32, issuedOn: CalendarDate, ageDays: Int, maxAgeDays: Int) {
        self.sequence = sequence
        self.issuedOn = issuedOn
        self.ageDays = ageDays
        self.maxAgeDays = maxAgeDays
    }

    public var isStale: Bool { ageDays > maxAgeDays }

    public var description: String {
        "status list \(sequence) of \(issuedOn), \(ageDays) day\(ageDays == 1 ? "" : "s") old (at most \(maxAgeDays))"
    }
}
