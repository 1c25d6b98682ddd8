import CardSecurity
import Foundation
import PermitCard
import Registry

/// The intent journal (docs/STATION.md, "Intent journal"): every card write is opened as an intent before its
/// first APDU and settled, in the one transaction that records its act, once the card has been read back. A
/// card pulled, a daemon killed or pcscd restarted in between leaves the intent pending; it is settled when
/// that card is next presented: applied if the card shows the write, redone if the card shows the old state
/// and the write can be made again without the officer, abandoned with the reason otherwise.
extension StationActs {
    /// Makes `write` on the card whose state before is `before`, through the journal. The registry is asked
    /// first, in a transaction it rolls back, whether it will record the act: a refusal writes nothing.
    func journaled(_ write: CardWrite, on card: PermitCard, before: CardSnapshot, pin: String?, agent: Agent,
                   progress: Progress) async throws(StationActError) -> (intent: CardIntent, summary: String, presentation: Presentation) {
        let today = card.calendar.today
        let serial = before.serial
        let expected = write.expected(after: before, on: today)
        await progress(.checking)
        _ = try await inRegistry { registry throws(RegistryError) in
            try registry.dryRun(actor: agent.name) { () throws(RegistryError) in
                try write.record(in: registry, serial: serial, after: expected, openedOn: today, actor: agent.name)
            }
        }
        let new = NewIntent(cardSerial: serial, permitId: write.permit, applicationId: write.application, act: write.act,
                            parameters: Self.json(write), before: Self.json(before), expected: Self.json(expected), openedOn: today)
        let intent = try await inRegistry { registry throws(RegistryError) in try registry.openIntent(new, actor: agent.name) }
        let (summary, presentation) = try await complete(intent, write: write, on: card, before: before, expected: expected, pin: pin,
                                                         as: .applied, agent: agent, progress: progress)
        return (intent, summary, presentation)
    }

    /// Writes the card for an open intent, reads it back and settles the intent as `state`.
    func complete(_ intent: CardIntent, write: CardWrite, on card: PermitCard, before: CardSnapshot, expected: CardSnapshot, pin: String?,
                  as state: CardIntent.State, agent: Agent, progress: Progress) async throws(StationActError) -> (String, Presentation) {
        let serial: CardSerial
        do { serial = try CardSerial(hex: intent.cardSerial) } catch {
            throw StationActError(.unprocessable, "The intent's card serial \(intent.cardSerial) is not 16 hex digits; nothing was written.")
        }
        // Bound to the serial read before the write: a card swapped in meanwhile is never written.
        let (bound, connection) = card.bound(to: serial)
        await progress(.writing)
        var failure: StationActError?
        do {
            try await write.perform(on: bound, pin: pin)
        } catch {
            failure = .card(error)
        }
        if let other = connection.swappedFor {
            // The write's session stopped at SELECT, before anything was sent to either card.
            let reason = "card \(other) was in the reader instead of card \(intent.cardSerial) when the write began; nothing was written"
            try await abandon(intent, reason: reason, agent: agent)
            throw StationActError(.conflict, "The card was swapped: \(reason). Put card \(intent.cardSerial) back and act again.")
        }
        await progress(.readingBack)
        let now: Presentation
        do {
            now = try await present(bound)
        } catch {
            let cause = failure.map { " (\($0.description))" } ?? ""
            throw StationActError(.unavailable, "The card \(intent.cardSerial) stopped answering during \(write.act)\(cause); whether it took the write is not known yet. Its intent \(intent.id ?? 0) stays open and is settled when the card is presented again.")
        }
        guard now.snapshot.shows(expected) else {
            let reason: String
            if let failure, now.snapshot.shows(before) {
                reason = failure.description
            } else {
                reason = "the card read back shows neither the state before the write nor the one it should leave"
            }
            try await abandon(intent, reason: reason, agent: agent)
            throw failure ?? StationActError(.conflict, "Card \(intent.cardSerial): \(reason); nothing was recorded. Read the card (`permit verify`) and act again.")
        }
        await progress(.recording)
        let summary = try await settle(intent, as: state, write: write, after: now, agent: agent)
        return (summary, try await looked(up: now.reading, report: now.report, profile: now.profile, today: now.today))
    }

    /// Settles the intent and records its act in one transaction. A write the registry now refuses (the
    /// permit changed meanwhile) is abandoned with the refusal, and the act fails with it: the card holds a
    /// record the registry does not, which the next presentation reports as an alert.
    func settle(_ intent: CardIntent, as state: CardIntent.State, write: CardWrite, after presentation: Presentation,
                agent: Agent) async throws(StationActError) -> String {
        let serial = presentation.serial
        let after = presentation.snapshot
        let audit = agent.audit(write.act, card: serial, outcome: state.rawValue, detail: "intent \(intent.id ?? 0)")
        do {
            return try await registry.run { registry throws(RegistryError) in
                try registry.settle(intent, as: state, audit: audit) { () throws(RegistryError) in
                    try write.record(in: registry, serial: serial, after: after, openedOn: intent.openedOn, actor: agent.name)
                }
            }
        } catch {
            let failure = StationActError.registry(error)
            guard failure.kind != .unavailable else {
                throw StationActError(.unavailable, "Card \(serial) holds the \(write.act), but the registry could not record it (\(error)); its intent \(intent.id ?? 0) stays open and is settled when the card is presented again.")
            }
            try await abandon(intent, reason: "the card holds it, but the registry refuses to record it: \(error)", agent: agent)
            throw StationActError(.conflict, "Card \(serial) holds the \(write.act), but the registry refuses to record it (\(error)); the card and the registry now disagree: an officer must correct the registry.")
        }
    }

    func abandon(_ intent: CardIntent, reason: String, agent: Agent) async throws(StationActError) {
        let audit = agent.audit(intent.act, card: intent.cardSerial, outcome: CardIntent.State.abandoned.rawValue, detail: "intent \(intent.id ?? 0): \(reason)")
        _ = try await inRegistry { registry throws(RegistryError) in
            try registry.settle(intent, as: .abandoned, reason: reason, audit: audit) { () throws(RegistryError) in }
        }
    }

    /// Settles the presented card's pending intent, if it has one (an act cut short by a pull, a crash or a
    /// pcscd restart). Returns what was done (nil: nothing pending) and the card as it is now.
    func settlePending(on card: PermitCard, presented: Presentation, agent: Agent,
                       progress: Progress) async throws(StationActError) -> (finding: String?, presentation: Presentation) {
        let serial = presented.serial
        guard let intent = try await inRegistry({ registry throws(RegistryError) in try registry.pendingIntent(card: serial) }) else {
            return (nil, presented)
        }
        await progress(.settling)
        guard let write = Self.decode(CardWrite.self, intent.parameters), let before = Self.decode(CardSnapshot.self, intent.before),
              let expected = Self.decode(CardSnapshot.self, intent.expected)
        else {
            try await abandon(intent, reason: "its parameters cannot be read by this version of the station", agent: agent)
            return ("intent \(intent.id ?? 0) (\(intent.act)) abandoned: its parameters cannot be read", presented)
        }
        let now = presented.snapshot
        let label = "intent \(intent.id ?? 0) (\(intent.act), opened \(intent.openedOn))"
        if now.shows(expected) {
            _ = try await settle(intent, as: .applied, write: write, after: presented, agent: agent)
            let now = try await looked(up: presented.reading, report: presented.report, profile: presented.profile, today: presented.today)
            return ("\(label) applied: the card shows it", now)
        }
        guard write.resumes(from: now, before: before) else {
            let reason = "the card shows neither the state before the write nor the one it should leave"
            try await abandon(intent, reason: reason, agent: agent)
            return ("\(label) abandoned: \(reason)", presented)
        }
        if let reason = write.redoable(openedOn: intent.openedOn, today: presented.today, now: now) {
            try await abandon(intent, reason: reason, agent: agent)
            return ("\(label) abandoned: \(reason)", presented)
        }
        let (summary, after) = try await complete(intent, write: write, on: card, before: now, expected: write.expected(after: now, on: presented.today), pin: nil,
                                                  as: .redone, agent: agent, progress: progress)
        return ("\(label) redone: \(summary)", after)
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension CardWrite {
    /// Whether the card, showing `now`, is where the write can start again: the state before it, or for an
    /// issuance any unfinished state of the same card (issuance resumes).
    func resumes(from now: CardSnapshot, before: CardSnapshot) -> Bool {
        switch self {
        case .issue, .replacement: now.serial == before.serial && !now.issued
        default: now.shows(before)
        }
    }
}
