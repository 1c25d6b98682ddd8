import Lifecycle
import Registry
import SeededRandom

/// How holders behave over the years, as shares (docs/BENCHMARKS.md, "Registry and sweep"). Chosen to look like a
/// station's registry after years of use, not measured from one: most endorse in time, some late, a few let the
/// permit lapse; people move, lose cards, leave and come back.
struct Behaviour {
    /// Per validity period: endorse in the window / 1-30 days late / 31-90 days late (past the grace in Inner
    /// Mongolia; in Zhejiang only up to E + 60) / never.
    var timely = 0.86, lateShort = 0.06, lateLong = 0.03
    /// Per year: a change of address, of workplace, a card lost or damaged, points granted (where the region has
    /// points), an endorsement refused (不予签注), a cancellation on another ground.
    var move = 0.15, workplace = 0.10, newCard = 0.02, points = 0.20, refusal = 0.003, otherCancellation = 0.01
    /// After a permit ends (cancelled, or lapsed for good): the share who apply again, and an officer's overdue determination.
    var reapply = 0.40, determination = 0.70
}

/// One event of a simulated life, in the registry's terms; `Generator` writes each as its rows.
enum LifeEvent {
    case application(kind: ApplicationKind, accepted: CalendarDate, registered: CalendarDate?, talent: Bool, grounds: String)
    case issued(CalendarDate)
    case status(from: PermitStatus?, to: PermitStatus, reason: String, on: CalendarDate)
    case endorsed(CalendarDate, EndorsementClass, expiry: CalendarDate, residence: CalendarDate)
    case moved(ChangeKind, moved: CalendarDate, reported: CalendarDate, deadline: CalendarDate?)
    case newCard(ReplacementReason, CalendarDate)
    case pointsGranted(CalendarDate, validUntil: CalendarDate)
    case pointsLapsed(CalendarDate, cause: PermitStatus)
    case refused(CalendarDate)
    case cancelled(CalendarDate, CancellationReason)
}

/// The permits of one holder from `start` to `asOf`, made by the rules themselves (`PermitState`), so the stored
/// state is what the registry's own writes and sweeps would have left.
struct HolderLife {
    struct PermitLife {
        var events: [LifeEvent] = []
        var state: PermitState
        var status: PermitStatus
        var statusOn: CalendarDate
        var pointsUntil: CalendarDate?
        var lastEventOn: CalendarDate
    }

    let policy: RegionPolicy
    let behaviour: Behaviour
    let asOf: CalendarDate
    var random: SeededGenerator
    private(set) var permits: [PermitLife] = []

    init(policy: RegionPolicy, behaviour: Behaviour, firstIssue: CalendarDate, asOf: CalendarDate, random: SeededGenerator) {
        self.policy = policy
        self.behaviour = behaviour
        self.asOf = asOf
        self.random = random
        var issue: CalendarDate? = firstIssue
        while let day = issue, day <= asOf { issue = live(from: day) }
    }

    private mutating func chance(_ p: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < p }
    private mutating func day(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }

    /// One permit from its application to `asOf` or its end; returns the day the holder applies again, if they do.
    private mutating func live(from issued: CalendarDate) -> CalendarDate? {
        let accepted = issued.adding(days: -day(1...12))
        let talent = policy.eligibility.talentException && chance(0.02)
        let registered = talent ? nil : accepted.adding(months: -6 - day(0...36))
        let grounds = chance(0.7) ? "job" : chance(0.67) ? "home" : "study"
        var life = PermitLife(state: PermitState(issued: issued), status: .inForce, statusOn: issued, lastEventOn: issued)
        life.events = [.application(kind: .first, accepted: accepted, registered: registered, talent: talent, grounds: grounds), .issued(issued),
                       .status(from: nil, to: .inForce, reason: "issued", on: issued)]
        defer { permits.append(life) }
        while true {
            let opens = life.state.windowOpens(policy), expiry = life.state.expiry(policy)
            // The year's other events, while the permit is in force and before its window.
            var others: [(CalendarDate, Int)] = []
            for (kind, share) in [(0, behaviour.move), (1, behaviour.workplace), (2, behaviour.newCard),
                                  (3, policy.points == nil ? 0 : behaviour.points), (4, behaviour.refusal), (5, behaviour.otherCancellation)]
            where chance(share) {
                let first = life.lastEventOn.adding(days: 1)
                guard first < opens else { continue }
                others.append((first.adding(days: day(0...(opens.days(since: first) - 1))), kind))
            }
            for (on, kind) in others.sorted(by: { $0.0 < $1.0 }) where on <= asOf && life.status != .cancelled {
                record(&life, kind: kind, on: on)
            }
            if life.status == .cancelled { return reapply(after: life.statusOn) }
            // The endorsement of this period, or none.
            let draw = Double(random.next() % 1_000_000) / 1_000_000
            let limit = policy.cancellationDueAfterOverdueDays
            var endorsement: CalendarDate?
            if draw < behaviour.timely { endorsement = opens.adding(days: day(0...expiry.days(since: opens))) }
            else if draw < behaviour.timely + behaviour.lateShort { endorsement = expiry.adding(days: day(1...30)) }
            else if draw < behaviour.timely + behaviour.lateShort + behaviour.lateLong { endorsement = expiry.adding(days: day(31...(limit ?? 90))) }
            else if limit == nil, chance(behaviour.reapply) { endorsement = expiry.adding(days: day(91...400)) }   // back long after, restarted
            guard let on = endorsement, on <= asOf else {
                advance(&life, through: asOf)
                // Lapsed where the region has the overdue ground: an officer may determine the cancellation; the
                // holder may then apply again (not before: one permit not cancelled per holder).
                guard endorsement == nil, let due = life.state.cancellationDueFrom(policy), chance(behaviour.determination) else { return nil }
                let on = due.adding(days: day(0...90))
                guard on <= asOf else { return nil }
                cancel(&life, on: on, reason: .overdue)
                return reapply(after: on)
            }
            advance(&life, through: on)
            let before = life.status
            let endorsed: EndorsementClass
            do { endorsed = try life.state.endorse(on: on, policy: policy) } catch {
                fail("generated an endorsement the rules refuse (a generator bug): \(error)")
            }
            life.events.append(.endorsed(on, endorsed, expiry: life.state.expiry(policy), residence: life.state.residenceSince))
            life.events.append(.status(from: before, to: .inForce, reason: "endorsed:\(endorsed.rawValue)", on: on))
            life.status = .inForce
            life.statusOn = on
            life.lastEventOn = on
        }
    }

    private mutating func reapply(after day: CalendarDate) -> CalendarDate? {
        chance(behaviour.reapply) ? day.adding(days: self.day(30...400)) : nil
    }

    /// The calendar transitions through `date`, each recorded as the sweep records it.
    private func advance(_ life: inout PermitLife, through date: CalendarDate) {
        while let next = life.state.nextTransition(after: life.statusOn, policy: policy), next.on <= date {
            let reason = switch next.to {
            case .windowOpen: "windowOpened"
            case .suspended: "expired"
            default: "overdue"
            }
            life.events.append(.status(from: life.status, to: next.to, reason: reason, on: next.on))
            if let until = life.pointsUntil, !next.to.isInForce {
                if next.on <= until { life.events.append(.pointsLapsed(next.on, cause: next.to)) }
                life.pointsUntil = nil
            }
            life.status = next.to
            life.statusOn = next.on
            life.lastEventOn = next.on
        }
    }

    private mutating func record(_ life: inout PermitLife, kind: Int, on: CalendarDate) {
        switch kind {
        case 0, 1:
            let change: ChangeKind = kind == 0 ? .residence : .workplace
            let moved = on.adding(days: -day(0...14))
            let period = change == .residence ? policy.addressChangeDeadline : policy.workplaceChangeDeadline
            let deadline: CalendarDate?
            do { deadline = try period.map { period throws(LifecycleError) in try policy.lastDay(of: period, from: moved) } } catch {
                fail("a change deadline could not be counted: \(error)")
            }
            life.events.append(.moved(change, moved: max(moved, life.state.issued), reported: on, deadline: deadline))
        case 2: life.events.append(.newCard(chance(0.6) ? .lost : .damaged, on))
        case 3:
            let until = policy.points!.validUntil(grantedOn: on)
            life.events.append(.pointsGranted(on, validUntil: until))
            life.pointsUntil = until
        case 4: life.events.append(.refused(on))
        default: cancel(&life, on: on, reason: chance(0.5) ? .localHukou : .lossOfEligibility)
        }
        life.lastEventOn = on
    }

    private func cancel(_ life: inout PermitLife, on: CalendarDate, reason: CancellationReason) {
        do { try life.state.cancel(on: on, reason: reason, policy: policy) } catch {
            fail("generated a cancellation the rules refuse (a generator bug): \(error)")
        }
        life.events.append(.cancelled(on, reason))
        life.events.append(.status(from: life.status, to: .cancelled, reason: "officerCancellation:\(reason.rawValue)", on: on))
        if life.pointsUntil.map({ on <= $0 }) == true { life.events.append(.pointsLapsed(on, cause: .cancelled)) }
        life.pointsUntil = nil
        life.status = .cancelled
        life.statusOn = on
        life.lastEventOn = on
    }
}
