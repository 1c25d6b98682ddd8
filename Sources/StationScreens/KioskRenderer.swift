import Kiosk
import Mustache

/// Turns a kiosk state into HTML with the templates of `KioskTemplates`: the whole page for the first
/// load, one screen for each later change. Every value is HTML-escaped by mustache.
public struct KioskRenderer: Sendable {
    private let library: MustacheLibrary

    public init() {
        var library = MustacheLibrary()
        // The templates are constants of this module: a template that does not parse is a programming error.
        for (name, text) in [("page", KioskTemplates.page), ("screen", KioskTemplates.screen), ("style", KioskTemplates.style), ("script", KioskTemplates.script)] {
            try! library.register(text, named: name)
        }
        self.library = library
    }

    /// One screen: `state` in `language`, its forms carrying `step` (the token a touch must send back).
    public func screen(_ state: KioskState, language: KioskLanguage, step: String) -> String {
        let screen = state.screen(in: language)
        let context: [String: Any] = [
            "name": screen.name, "tone": screen.tone.rawValue, "title": screen.title, "lines": screen.lines,
            "notice": screen.notice as Any, "facts": screen.facts.map { ["label": $0.label, "value": $0.value] },
            "hasFacts": !screen.facts.isEmpty, "step": step, "lang": language.tag,
            "otherLanguage": language.other.rawValue, "otherLanguageName": language.other.name,
            "buttons": screen.buttons.map { ["action": $0.action.rawValue, "label": $0.label, "primary": $0.primary] },
            "hasButtons": !screen.buttons.isEmpty, "busy": screen.tone == .busy,
            "pinPad": screen.pinPad.map { ["minLength": $0.minLength, "maxLength": $0.maxLength, "okLabel": $0.okLabel, "clearLabel": $0.clearLabel] } as Any,
        ]
        return library.render(context, withTemplate: "screen")!
    }

    /// The whole page around `screen` (the output of `screen(_:language:step:)`).
    public func page(screen: String, language: KioskLanguage) -> String {
        library.render(["lang": language.tag, "screen": screen], withTemplate: "page")!
    }
}
