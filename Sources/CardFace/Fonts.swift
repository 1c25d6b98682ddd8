import CCardGraphics

/// The fonts the card is printed with: Debian's Noto CJK (fonts-noto-cjk), Simplified Chinese forms.
/// Each covers Latin and digits too, so a line never mixes fallback fonts.
enum FontFamily: String, CaseIterable {
    case sans = "Noto Sans CJK SC"
    case serif = "Noto Serif CJK SC"
    case mono = "Noto Sans Mono CJK SC"

    /// Checked once per process: fontconfig silently substitutes a missing family, which would print
    /// Chinese as boxes or in a font the card was not laid out for.
    static func requireInstalled() throws(CardFaceError) {
        if let missing = installationProblem { throw missing }
    }

    private static let installationProblem: CardFaceError? = {
        let fontMap = pango_cairo_font_map_get_default()
        let context = pango_font_map_create_context(fontMap)
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        for family in allCases {
            let wanted = pango_font_description_from_string(family.rawValue)
            defer { pango_font_description_free(wanted) }
            var found = "no font at all"
            if let font = pango_font_map_load_font(fontMap, context, wanted) {
                let described = pango_font_describe(font)
                found = String(cString: pango_font_description_get_family(described))
                pango_font_description_free(described)
                g_object_unref(UnsafeMutableRawPointer(font))
            }
            if found != family.rawValue { return .fontMissing(family: family.rawValue, found: found) }
        }
        return nil
    }()
}
