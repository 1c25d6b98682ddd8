import Foundation
import Kiosk
import Logging
import PermitCard
import PermitVocabulary
import Station

/// The one kiosk screen of this station: its workflow (`KioskFlow`) fed by the daemon's reader events,
/// the holder's touches and the results of the card and print work it starts, rendered once per change and
/// pushed to every open page. The browser holds nothing but the HTML it was last sent.
public actor KioskSession {
    /// A touch that is not answered because it does not belong to the screen on show.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The step token is not the current screen's: a touch on an old screen, a replayed or a forged post.
        case staleStep
        /// The action is not one of this screen's buttons.
        case notOffered(String)

        public var description: String {
            switch self {
            case .staleStep: "This touch belongs to a screen that is no longer shown (or was never shown); the current screen was sent again."
            case .notOffered(let action): "\"\(action)\" is not offered on the current screen; nothing was done."
            }
        }
    }

    public struct Options: Sendable {
        /// The kiosk's reader: an exact name or a unique part of one; nil: the first reader pcscd lists.
        public var reader: String?
        /// A screen waiting for the holder goes back to the start after this long.
        public var idleTimeout: Duration
        public var language: KioskLanguage
        public var printsFace: Bool

        public init(reader: String? = nil, idleTimeout: Duration = .seconds(60), language: KioskLanguage = .zh, printsFace: Bool = true) {
            self.reader = reader
            self.idleTimeout = idleTimeout
            self.language = language
            self.printsFace = printsFace
        }
    }

    private var flow: KioskFlow
    private var language: KioskLanguage
    /// A fresh random token per screen shown: a touch must send back the one of the screen it was made on.
    public private(set) var step = KioskSession.newStep()
    private var rendered: String
    private var readerName: String?
    private var pages: [UUID: AsyncStream<String>.Continuation] = [:]
    private var timer: Task<Void, Never>?
    private let options: Options
    private let service: any KioskCardService
    private let renderer: KioskRenderer
    private let logger: Logger

    public init(options: Options, service: any KioskCardService, today: @escaping @Sendable () -> CalendarDate, logger: Logger) {
        self.options = options
        self.service = service
        self.logger = logger
        renderer = KioskRenderer()
        flow = KioskFlow(printsFace: options.printsFace, today: today)
        language = options.language
        rendered = ""
        rendered = renderer.screen(flow.state, language: language, step: step)
    }

    public var state: KioskState { flow.state }
    public var currentLanguage: KioskLanguage { language }

    /// The whole page, showing the current screen.
    public func page() -> String { renderer.page(screen: rendered, language: language) }

    /// The current screen, then every later one, as HTML.
    public func screens() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        continuation.yield(rendered)
        continuation.onTermination = { [weak self] _ in Task { await self?.closePage(id) } }
        pages[id] = continuation
        return stream
    }

    private func closePage(_ id: UUID) { pages[id] = nil }

    /// Follows the station's reader events until they end (the daemon stops).
    public func follow(_ events: StationEvents) async {
        let (present, live) = await events.subscribe()
        readerName = pick(from: present.map(\.name))
        if let reader = present.first(where: { $0.name == readerName }) {
            if reader.hasCard { handle(.cardInserted) }
        } else {
            handle(.readerLost)
        }
        for await event in live { observe(event) }
        for page in pages.values { page.finish() }
        pages = [:]
    }

    /// The kiosk's reader: the configured one when present, else the first.
    private func pick(from names: [String]) -> String? {
        guard let wanted = options.reader else { return names.first }
        return names.first { $0 == wanted } ?? names.first { $0.contains(wanted) }
    }

    func observe(_ event: StationEvent) {
        switch event.kind {
        case .serviceLost:
            handle(.readerLost)
        case .serviceRestored:
            break   // the readers come back as readerAdded
        case .readerAdded:
            guard readerName == nil || readerName == event.reader, let name = event.reader, pick(from: [name]) == name else { return }
            readerName = name
            handle(.readerBack)
        case .readerRemoved where event.reader == readerName:
            readerName = nil
            handle(.readerLost)
        case .cardInserted where event.reader == readerName:
            handle(.cardInserted)
        case .cardRemoved where event.reader == readerName:
            handle(.cardRemoved)
        case .cardSwapped where event.reader == readerName:
            handle(.cardRemoved)
            handle(.cardInserted)
        default:
            break
        }
    }

    /// A touch from the page: `action` with the step token of the screen it was made on.
    public func touch(_ action: String, step: String, pin: String? = nil, language chosen: String? = nil) throws(Refusal) {
        guard step == self.step else {
            publish()   // the page may be behind: show it the current screen
            throw .staleStep
        }
        switch action {
        case "language":
            guard let chosen, let language = KioskLanguage(rawValue: chosen) else { throw .notOffered(action) }
            self.language = language
            self.step = Self.newStep()
            publish()
        case "pin":
            guard case .pinEntry = flow.state, let pin else { throw .notOffered(action) }
            handle(.pin(pin))
        case "confirm", "cancel":
            let offered = flow.state.screen(in: language).buttons.map(\.action.rawValue)
            guard offered.contains(action) else { throw .notOffered(action) }
            handle(action == "confirm" ? .confirm : .cancel)
        default:
            throw .notOffered(action)
        }
    }

    /// Applies an input, starts the work it asks for, and shows the result.
    func handle(_ input: KioskInput) {
        let before = flow.state
        let effect = flow.handle(input)
        if let effect { start(effect) }
        guard flow.state != before || effect != nil else { return }
        // The next holder starts in the kiosk's own language.
        if flow.state == .idle { language = options.language }
        step = Self.newStep()
        publish()
        armTimer()
    }

    private func start(_ effect: KioskEffect) {
        let service = service
        let reader = readerName ?? ""
        Task {
            let result: KioskInput
            switch effect {
            case .readCard:
                do throws(PermitCardError) { result = .cardRead(.success(try await service.read(reader: reader))) } catch { result = .cardRead(.failure(error)) }
            case .endorse(let serial, let pin):
                do throws(PermitCardError) {
                    result = .endorsed(.success(try await service.endorse(reader: reader, serial: serial, pin: pin)))
                } catch { result = .endorsed(.failure(error)) }
            case .printStamp(let card, let plan):
                result = .printed(await service.printStamp(card: card, plan: plan))
            }
            await self.finished(result)
        }
    }

    private func finished(_ result: KioskInput) {
        handle(result)
        if case .failed(let why) = flow.state { logger.error("kiosk: \(why)") }
    }

    private func publish() {
        rendered = renderer.screen(flow.state, language: language, step: step)
        for page in pages.values { page.yield(rendered) }
    }

    /// A screen waiting for the holder goes back to the start (or to "take your card") when nobody touches it.
    private func armTimer() {
        timer?.cancel()
        guard !flow.state.isWorking, flow.state != .idle, flow.state != .offline, flow.state != .removeCard else { return }
        let armed = step
        let timeout = options.idleTimeout
        timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self.timedOut(step: armed)
        }
    }

    private func timedOut(step armed: String) {
        guard armed == step else { return }
        handle(.timeout)
    }

    static func newStep() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}
