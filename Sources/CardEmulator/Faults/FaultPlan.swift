/// Faults to inject, counted in command APDUs from the moment the plan is set (control frames such as
/// power-on and ATR polls are not counted). Each removal and a status word `at` a given APDU fire once.
public struct FaultPlan: Hashable, Sendable {
    public enum Removal: Hashable, Sendable {
        /// APDU n arrives and the card is pulled: it is never executed and never answered.
        case beforeAPDU(Int)
        /// APDU n is executed and its effects kept, then the card is pulled before it answers
        /// (the terminal cannot know the write happened: the hard case for atomicity).
        case afterAPDU(Int)
    }

    public var removal: Removal?
    /// After a removal the card comes back by itself after this delay; nil: only when `insert()` is called.
    public var reinsertAfter: Duration?
    /// Added before every answer.
    public var latency: Duration
    /// Answered instead of executing the command (nothing is executed or kept).
    public var forcedStatus: StatusWord?
    /// The APDU number at which `forcedStatus` is answered (once); nil: every APDU.
    public var forcedStatusAt: Int?

    public init(
        removal: Removal? = nil, reinsertAfter: Duration? = nil, latency: Duration = .zero,
        forcedStatus: StatusWord? = nil, forcedStatusAt: Int? = nil
    ) {
        self.removal = removal
        self.reinsertAfter = reinsertAfter
        self.latency = latency
        self.forcedStatus = forcedStatus
        self.forcedStatusAt = forcedStatusAt
    }

    /// No faults.
    public static let none = FaultPlan()
}

/// What happens to one command APDU.
public enum FaultDecision: Hashable, Sendable {
    /// Execute it; if `thenRemove`, pull the card instead of answering.
    case execute(thenRemove: Bool)
    /// Answer this status word without executing it.
    case answer(StatusWord)
    /// Pull the card without executing or answering it.
    case removeBeforeExecuting
}

/// Applies a fault plan to the stream of APDUs: pure logic, unit-tested apart from sockets.
public struct FaultInjector: Hashable, Sendable {
    public private(set) var plan: FaultPlan
    /// Command APDUs seen since the plan was set.
    public private(set) var apduCount = 0

    public init(plan: FaultPlan = .none) { self.plan = plan }

    /// The decision for the next APDU (numbered from 1).
    public mutating func nextAPDU() -> FaultDecision {
        apduCount += 1
        switch plan.removal {
        case .beforeAPDU(apduCount):
            plan.removal = nil
            return .removeBeforeExecuting
        case .afterAPDU(apduCount):
            plan.removal = nil
            return .execute(thenRemove: true)
        default:
            break
        }
        if let status = plan.forcedStatus {
            if plan.forcedStatusAt == nil { return .answer(status) }
            if plan.forcedStatusAt == apduCount {
                plan.forcedStatus = nil
                plan.forcedStatusAt = nil
                return .answer(status)
            }
        }
        return .execute(thenRemove: false)
    }
}

extension EmulatedCard {
    /// What a reader sees of command APDU `number` under `decision`: the card's answer, or the card
    /// pulled (executed first or not, as the decision says) with the reason to report.
    public func transmit(_ command: [UInt8], as decision: FaultDecision, number: Int) -> Result<[UInt8], FaultRemoval> {
        switch decision {
        case .removeBeforeExecuting:
            return .failure(FaultRemoval(reason: "fault injected before APDU \(number)"))
        case .answer(let status):
            return .success(status.bytes)
        case .execute(let thenRemove):
            let response = transmit(command)
            return thenRemove ? .failure(FaultRemoval(reason: "fault injected after APDU \(number), before its answer")) : .success(response)
        }
    }
}

/// A card pulled by the fault plan instead of answering.
public struct FaultRemoval: Error, Hashable, Sendable {
    public let reason: String
}
