/// The language of the kiosk's words: Chinese first, English at a touch.
public enum KioskLanguage: String, Sendable, Hashable, CaseIterable {
    case zh, en

    /// The other one, for the switch button.
    public var other: KioskLanguage { self == .zh ? .en : .zh }
    /// The switch button's label, in the language it switches to.
    public var name: String { self == .zh ? "中文" : "English" }
    /// The HTML `lang` value.
    public var tag: String { self == .zh ? "zh-CN" : "en" }
}

/// One screen of the kiosk as words, without markup: what the templates (module StationScreens) lay out
/// and what the tests read.
public struct KioskScreen: Sendable, Hashable {
    /// How the screen looks: the colour of its band and its icon.
    public enum Tone: String, Sendable, Hashable {
        /// Waiting for the holder.
        case calm
        /// The kiosk is working; the holder waits.
        case busy
        /// Done, as the holder wanted.
        case good
        /// Done, with something the holder must know or do.
        case caution
        /// Not possible here.
        case stop
    }

    /// A touch the holder can make.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case confirm, cancel
    }

    public struct Button: Sendable, Hashable {
        public let action: Action
        public let label: String
        public let primary: Bool
    }

    public struct Fact: Sendable, Hashable {
        public let label: String
        public let value: String
    }

    /// The PIN pad: the PIN's length, and the notice above it (a wrong PIN, a wrong length).
    public struct PINPad: Sendable, Hashable {
        public let minLength: Int
        public let maxLength: Int
        public let okLabel: String
        public let clearLabel: String
    }

    /// A stable name for the screen (tests, screenshots, docs/KIOSK.md): `offer-late-reset`, `pin-wrong`, …
    public let name: String
    public let tone: Tone
    public let title: String
    public let lines: [String]
    /// A line that must stand out (a wrong PIN, what happens to the residence period).
    public let notice: String?
    public let facts: [Fact]
    public let buttons: [Button]
    public let pinPad: PINPad?

    init(name: String, tone: Tone, title: String, lines: [String], notice: String? = nil, facts: [Fact] = [], buttons: [Button] = [], pinPad: PINPad? = nil) {
        self.name = name
        self.tone = tone
        self.title = title
        self.lines = lines
        self.notice = notice
        self.facts = facts
        self.buttons = buttons
        self.pinPad = pinPad
    }
}
