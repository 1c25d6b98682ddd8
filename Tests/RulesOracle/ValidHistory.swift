/// A permit history built by construction: at each step the oracle's state says which kinds of event are
/// possible after the previous one, one is chosen, and its day is drawn inside the range where that kind is what
/// happens. Nothing generated is thrown away, and each event carries the outcome the rules must give it.
public struct ValidHistory: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Endorsements: inside the window; late within the grace; late past it; before the window (refused);
        /// while due for cancellation (refused); after a cancellation (refused).
        case timely, lateContinuous, lateReset, early, whileDue, afterCancellation
        /// Officers' cancellations: overdue once due; overdue before it is due (refused); on another ground.
        case overdueCancellation, prematureOverdueCancellation, otherCancellation
    }

    public struct Event: Sendable {
        public let kind: Kind
        public let day: Int
        /// For an endorsement: its class or refusal code. For a cancellation: "accepted" or "refused".
        public let expected: String
        public var isEndorsement: Bool { ![.overdueCancellation, .prematureOverdueCancellation, .otherCancellation].contains(kind) }
    }

    public let region: RulesOracle.Region
    public let issued: Int
    /// The reason code of `otherCancellation` events.
    public let otherReason: String
    /// Every event, in day order, including the refused ones (which change nothing).
    public let events: [Event]
    /// The oracle after all the events.
    public let oracle: RulesOracle
    /// The oracle after each event, in event order (for answers on intermediate days).
    public let oracles: [RulesOracle]

    /// The oracle's state on `day`: after the events dated on or before it.
    public func oracle(on day: Int) -> RulesOracle {
        guard let index = events.lastIndex(where: { $0.day <= day }) else { return RulesOracle(region: region, issued: issued) }
        return oracles[index]
    }

    /// How often each kind is chosen among the possible ones: cancellations are rarer, so histories run long.
    static let weight: [Kind: Int] = [.timely: 6, .lateContinuous: 3, .lateReset: 3, .early: 2, .whileDue: 2, .afterCancellation: 1,
                                      .overdueCancellation: 1, .prematureOverdueCancellation: 1, .otherCancellation: 1]

    /// `steps` are (choice 0...999, position 0...999) pairs: the choice picks among the kinds possible at that point
    /// (by `weight`), the position where in its range the day falls.
    public init(region: RulesOracle.Region, issued: Int, steps: [(Int, Int)], otherReason: String = "lossOfEligibility") {
        self.region = region
        self.issued = issued
        self.otherReason = otherReason
        var oracle = RulesOracle(region: region, issued: issued)
        var events: [Event] = [], oracles: [RulesOracle] = []
        var now = issued - 1
        for (choice, position) in steps {
            let ranges = Self.possible(oracle, after: now)
            var ticket = choice % ranges.reduce(0) { $0 + Self.weight[$1.0]! }
            let (kind, range) = ranges.first { kind, _ in
                ticket -= Self.weight[kind]!
                return ticket < 0
            }!
            // A tenth of the draws land on each end of the range: the edges are where the rules are easiest to get wrong.
            let day = position < 100 ? range.lowerBound : position > 899 ? range.upperBound
                : range.lowerBound + (range.upperBound - range.lowerBound) * (position - 100) / 799
            let expected: String
            switch kind {
            case .overdueCancellation, .prematureOverdueCancellation:
                expected = oracle.cancel(on: day, reason: "overdue") ? "accepted" : "refused"
            case .otherCancellation:
                expected = oracle.cancel(on: day, reason: otherReason) ? "accepted" : "refused"
            default:
                expected = oracle.endorse(on: day)
            }
            events.append(Event(kind: kind, day: day, expected: expected))
            oracles.append(oracle)
            now = day
        }
        self.events = events
        self.oracles = oracles
        self.oracle = oracle
    }

    /// The kinds of event possible on a day after `now`, each with the days on which it is that kind. Never empty:
    /// another cancellation ground or a refused endorsement is always possible.
    static func possible(_ oracle: RulesOracle, after now: Int) -> [(Kind, ClosedRange<Int>)] {
        let first = now + 1
        var found: [(Kind, ClosedRange<Int>)] = []
        func add(_ kind: Kind, _ lo: Int, _ hi: Int) { if lo <= hi { found.append((kind, lo...hi)) } }
        if let cancelled = oracle.cancelledOn {
            add(.afterCancellation, max(first, cancelled), max(first, cancelled) + 400)
            return found
        }
        let expiry = oracle.expiry
        let lateFrom = (oracle.graceLastDay ?? expiry) + 1
        let lateTo = (oracle.dueFrom ?? expiry + 500) - 1
        add(.early, first, oracle.windowOpens - 1)
        add(.timely, max(first, oracle.windowOpens), expiry)
        if let grace = oracle.graceLastDay { add(.lateContinuous, max(first, expiry + 1), grace) }
        add(.lateReset, max(first, lateFrom), lateTo)
        if let due = oracle.dueFrom {
            add(.whileDue, max(first, due), max(first, due) + 300)
            add(.overdueCancellation, max(first, due), max(first, due) + 300)
            add(.prematureOverdueCancellation, first, due - 1)
        } else {
            add(.prematureOverdueCancellation, first, first + 800)
        }
        add(.otherCancellation, first, first + 800)
        return found
    }
}
