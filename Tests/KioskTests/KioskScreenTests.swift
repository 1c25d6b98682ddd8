import Foundation
import Kiosk
import Logging
import PermitCard
import Station
import StationScreens
import Testing

/// The screens as HTML and the session that serves them: every screen renders in both languages with its
/// words escaped, personal data only where it belongs, the PIN never; touches are refused unless they come
/// from the screen on show.
@Suite struct KioskScreenTests {
    /// One state of each kind, from a real card read (the states carrying a card need one).
    static func everyState() async throws -> [KioskState] {
        let kiosk = try await ReferenceKiosk(profile: "inner-mongolia", pin: "2468", on: Fixture.day("2027-02-15"))
        let card = try await kiosk.read(reader: "")
        guard case .endorsable(let plan) = KioskAssessment(card: card, today: Fixture.day("2027-02-15")) else { throw KioskTestFailure("not endorsable") }
        return [
            .idle, .reading, .offer(card, plan), .pinEntry(card, plan, notice: nil), .pinEntry(card, plan, notice: .wrong(triesLeft: 1)),
            .pinEntry(card, plan, notice: .badLength), .endorsing(card, plan), .printing(card, plan), .takeCard(card, plan, printed: .printed),
            .takeCard(card, plan, printed: .noPrinter), .takeCard(card, plan, printed: .failed(.outOfCards)), .takeCard(card, plan, printed: .failed(.jammed)),
            .takeCard(card, plan, printed: .failed(.other)),
            .notYetDue(card, opens: Fixture.day("2028-01-31"), validUntil: Fixture.day("2028-03-01")),
            .counter(card, .cancellationDue(since: Fixture.day("2027-05-01"))), .counter(card, .cancelled), .counter(card, .replaced),
            .counter(card, .suspendedByOfficer), .counter(card, .endorsementFileFull), .counter(card, .datesUnreadable),
            .wrongCard(.otherProduct), .wrongCard(.incomplete), .wrongCard(.notGenuine), .pinBlocked(card),
            .cardPulled(.nothingWritten), .cardPulled(.unknown(serial: card.serial, plan: plan)), .cardPulled(.notPrinted(newExpiry: plan.newExpiry)),
            .cancelled, .offline, .failed("test"), .removeCard,
        ]
    }

    @Test func everyScreenHasItsOwnNameAndWordsInBothLanguages() async throws {
        let states = try await Self.everyState()
        let names = states.map { $0.screen(in: .zh).name }
        #expect(Set(names).count == names.count, "two states share a screen name: \(names)")
        for state in states {
            let zh = state.screen(in: .zh)
            let en = state.screen(in: .en)
            #expect(zh.name == en.name)
            #expect(zh.title != en.title, "\(zh.name)")
            #expect(zh.title.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(zh.name): the Chinese title has no Chinese")
            #expect(!en.title.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(en.name): Chinese in the English title")
            #expect(zh.lines.count == en.lines.count && zh.facts.count == en.facts.count && zh.buttons.count == en.buttons.count)
            // No Swift type names, no error domains in anything a person reads.
            for text in [en.title] + en.lines + [en.notice].compactMap({ $0 }) {
                #expect(!text.contains("Error") && !text.contains("PermitCard") && !text.contains("Optional(") && !text.contains("CalendarDate"), "\(en.name): \(text)")
            }
        }
    }

    @Test func theCitizenIDIsMaskedAndPersonalDataLeavesWithTheCard() async throws {
        let renderer = KioskRenderer()
        for state in try await Self.everyState() {
            let html = renderer.screen(state, language: .zh, step: "s")
            #expect(!html.contains("110105199005171233"), "\(state.screen(in: .zh).name) shows the full citizen ID")
            #expect(html.contains("张伟") == state.showsPersonalData && html.contains("**************1233") == state.showsPersonalData,
                    "\(state.screen(in: .zh).name)")
        }
    }

    @Test func theHTMLEscapesEveryValue() async throws {
        let html = KioskRenderer().screen(.failed("<script>alert(1)</script>"), language: .en, step: "\"><script>")
        #expect(!html.contains("<script>"))
        #expect(html.contains("&quot;&gt;&lt;script&gt;"))
    }

    @Test func thePINPadNeverHoldsAPINInTheHTML() async throws {
        let states = try await Self.everyState()
        guard case .pinEntry(let card, let plan, _) = states[3] else { return }
        let html = KioskRenderer().screen(.pinEntry(card, plan, notice: nil), language: .zh, step: "s")
        #expect(html.contains(#"<input type="hidden" name="pin" value="">"#))
        #expect(html.contains(#"data-min="4" data-max="8""#))
        #expect(!html.contains("2468"))
    }

    @Test func aTouchFromAnotherScreenIsRefusedAndTheCurrentOneSentAgain() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        let events = StationEvents(now: { Date() })
        let session = KioskSession(options: .init(reader: "Kiosk reader", idleTimeout: .seconds(60)), service: kiosk, today: { kiosk.today },
                                   logger: Logger(label: "test"))
        let follow = Task { await session.follow(events) }
        var screens = await session.screens().makeAsyncIterator()
        _ = await screens.next()
        await events.record(.readerAdded("Kiosk reader"))
        await events.record(.cardInserted(reader: "Kiosk reader", atr: kiosk.reader.card.atr.bytes))
        var html = ""
        while !html.contains(#"data-screen="offer""#) { html = await screens.next() ?? "" }
        let offered = await session.step
        await #expect(throws: KioskSession.Refusal.staleStep) { try await session.touch("confirm", step: "0123456789abcdef") }
        await #expect(throws: KioskSession.Refusal.notOffered("pin")) { try await session.touch("pin", step: offered, pin: "123456") }
        #expect(try await kiosk.read(reader: "").endorsementCount == 0)
        try await session.touch("language", step: offered, language: "en")
        let english = await session.step
        #expect(english != offered)
        // The confirmation of the Chinese screen is stale now: a replayed post does nothing.
        await #expect(throws: KioskSession.Refusal.staleStep) { try await session.touch("confirm", step: offered) }
        try await session.touch("confirm", step: english)
        while !html.contains(#"data-screen="done""#) { html = await screens.next() ?? "" }
        #expect(html.contains("Your permit is now valid until 1 March 2028."))
        await events.record(.cardRemoved(reader: "Kiosk reader"))
        while !html.contains(#"data-screen="idle""#) { html = await screens.next() ?? "" }
        // The next holder starts in Chinese.
        #expect(html.contains("请插入您的居住证"))
        await events.finishAll()
        await follow.value
    }

    @Test func anIdleScreenGoesBackToTheStart() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2026-09-10"))
        let events = StationEvents(now: { Date() })
        let session = KioskSession(options: .init(idleTimeout: .milliseconds(300)), service: kiosk, today: { kiosk.today }, logger: Logger(label: "test"))
        let follow = Task { await session.follow(events) }
        var screens = await session.screens().makeAsyncIterator()
        await events.record(.readerAdded("Kiosk reader"))
        await events.record(.cardInserted(reader: "Kiosk reader", atr: kiosk.reader.card.atr.bytes))
        var seen: [String] = []
        while seen.last != "remove-card" {
            guard let html = await screens.next() else { break }
            seen.append(Self.name(of: html))
        }
        #expect(seen.contains("not-yet-due"))
        await events.record(.cardRemoved(reader: "Kiosk reader"))
        while seen.last != "idle" { seen.append(Self.name(of: await screens.next() ?? "")) }
        await events.finishAll()
        await follow.value
    }

    static func name(of html: String) -> String {
        guard let range = html.range(of: #"data-screen=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

struct KioskTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
